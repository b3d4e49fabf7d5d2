/** The names of the emulator's routes, as used by counters and fault schedules. */
export const API_ROUTES = [
  'dataset.create',
  'dataset.get',
  'dataset.signedUrl',
  'upload.put',
  'dataset.append',
  'dataset.annotate',
  'job.status',
  'job.info',
  'job.errors',
  'jobs.list',
] as const;
export type ApiRoute = (typeof API_ROUTES)[number];

/** Path prefix of the Nucleus API. */
export const API_PREFIX = '/v1/nucleus';
/** Path prefix of signed upload URLs. */
export const UPLOAD_PREFIX = '/signed-upload';
/** Reserved path prefix of the control API (the real API has no such path). */
export const CONTROL_PREFIX = '/__emulator';

export interface MatchedRoute {
  readonly name: ApiRoute;
  readonly methods: readonly string[];
  readonly params: readonly string[];
}

/** Matches a path (already split into decoded segments after the API prefix) to a route, whatever the method. */
export function matchApiRoute(segs: readonly string[]): MatchedRoute | undefined {
  const [a, b, c, d, ...rest] = segs;
  if (rest.length > 0) return undefined;
  if (a === 'dataset' && b === 'create' && c === undefined) return { name: 'dataset.create', methods: ['POST'], params: [] };
  if (a === 'dataset' && b !== undefined && b !== '') {
    if (c === undefined) return { name: 'dataset.get', methods: ['GET'], params: [b] };
    if (c === 'signedUrl' && d !== undefined && d !== '') return { name: 'dataset.signedUrl', methods: ['GET'], params: [b, d] };
    if (c === 'append' && d === undefined) return { name: 'dataset.append', methods: ['POST'], params: [b] };
    if (c === 'annotate' && d === undefined) return { name: 'dataset.annotate', methods: ['POST'], params: [b] };
    return undefined;
  }
  if (a === 'job' && b !== undefined && b !== '' && d === undefined) {
    if (c === undefined) return { name: 'job.status', methods: ['GET'], params: [b] };
    if (c === 'info') return { name: 'job.info', methods: ['GET'], params: [b] };
    if (c === 'errors') return { name: 'job.errors', methods: ['GET'], params: [b] };
    return undefined;
  }
  if (a === 'jobs' && b === undefined) return { name: 'jobs.list', methods: ['POST'], params: [] };
  return undefined;
}
