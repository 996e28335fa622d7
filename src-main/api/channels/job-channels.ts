import { z } from 'zod';
import { JobSpecSchema, type JobInfo } from '../jobs';
import { event, none, request } from './define';

const JobIdSchema = z.object({ id: z.string().min(1).max(100) });

export const jobRequests = {
  'jobs:list': request<JobInfo[]>()(none),
  'jobs:get': request<JobInfo>()(JobIdSchema),
  'jobs:start': request<JobInfo>()(JobSpecSchema),
  'jobs:cancel': request<JobInfo>()(JobIdSchema),
} as const;

export const jobEvents = {
  'jobs:updated': event<JobInfo>(),
} as const;
