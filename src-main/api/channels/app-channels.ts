import type { AppInfo, BackendStatus, DoctorReport } from '../app';
import { none, request } from './define';

export const appRequests = {
  'app:info': request<AppInfo>()(none),
  'app:backend': request<BackendStatus>()(none),
  'app:doctor': request<DoctorReport>()(none),
} as const;
