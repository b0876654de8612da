export {
  useCreateUser,
  useHandover,
  userKeys,
  useSetUserActive,
  useUpdateUser,
  useUserDirectory,
  useUserList,
  USERS_PAGE_SIZE,
} from './api';
export type { UserFilters } from './api';
