export { CustomerRfmCard } from './CustomerRfmCard';
export { RfmTierSelect } from './RfmTierSelect';
export { RfmTierTag } from './RfmTierTag';
