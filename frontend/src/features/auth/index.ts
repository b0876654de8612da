export { authKeys, useLogin, useLogout, useMe } from './api';
export { loginPathFor, safeNext, SessionContext, useSession } from './session';
export { canWrite } from './permissions';
