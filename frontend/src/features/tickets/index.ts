export { ticketKeys, useTicketDashboard, useTicketList } from './api';
export { ServiceCards } from './ServiceCards';
export { SlaBadge } from './SlaBadge';
export { TicketFormDrawer } from './TicketFormDrawer';
export { PriorityTag, TicketStatusTag } from './TicketTags';
