/**
 * The Nucleus API routes of the emulator, as plain functions from a parsed request to a {@link Reply}.
 * Authentication, body reading, CORS and faults happen before, in the server.
 */
import type { EmulatorClock } from './clock.js';
import { isTerminalStatus, type JobEngine, type UploadJobType } from './engine.js';
import { errorReply, field, jsonReply, type Reply } from './http.js';
import type { ApiRoute } from './routes.js';
import { UPLOAD_PREFIX } from './routes.js';
import type { Store } from './store.js';

export interface ApiContext {
  readonly store: Store;
  readonly engine: JobEngine;
  readonly clock: EmulatorClock;
  /** `http://127.0.0.1:PORT`, for signed URLs. */
  readonly origin: string;
}

export interface ApiRequest {
  readonly route: ApiRoute;
  readonly params: readonly string[];
  readonly tenant: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
}

/** Largest `limit` of `POST jobs/`. */
export const MAX_LIST_LIMIT = 50_000;

const REQUEST_ID = /^[A-Za-z0-9_.-]{1,128}$/;

const notFound = (what: string): Reply => errorReply(404, `${what} not found.`);

/** A short, printable rendering of an id taken from the request, for error messages. */
function shown(id: string): string {
  const s = id.replace(/[^\x20-\x7e]/g, '?');
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}

export function handleApi(ctx: ApiContext, req: ApiRequest): Reply {
  switch (req.route) {
    case 'dataset.create':
      return createDataset(ctx, req);
    case 'dataset.get':
      return getDataset(ctx, req);
    case 'dataset.signedUrl':
      return signedUrl(ctx, req);
    case 'dataset.append':
      return startUpload(ctx, req, 'uploadDatasetItems');
    case 'dataset.annotate':
      return startUpload(ctx, req, 'uploadAnnotations');
    case 'job.status':
    case 'job.info':
    case 'job.errors': {
      const job = ctx.engine.job(req.tenant, req.params[0]!);
      if (!job) return notFound(`Job ${shown(req.params[0]!)}`);
      if (req.route === 'job.status') return jsonReply(200, ctx.engine.statusBody(job));
      if (req.route === 'job.info') return jsonReply(200, ctx.engine.infoBody(job));
      return jsonReply(200, ctx.engine.errorsOf(job));
    }
    case 'jobs.list':
      return listJobs(ctx, req);
    case 'upload.put':
      // Served by the server itself (no auth, raw body).
      return errorReply(500, 'Internal routing error.');
  }
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined | 'invalid' {
  const v = field(body, key);
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? v : 'invalid';
}

function createDataset(ctx: ApiContext, req: ApiRequest): Reply {
  const name = field(req.body, 'name');
  if (typeof name !== 'string' || name.trim() === '') return errorReply(400, 'name is required and must be a non-empty string.');
  if (name.length > 1024) return errorReply(400, 'name must be at most 1024 characters.');
  const isScene = optionalBoolean(req.body, 'is_scene');
  const privacy = optionalBoolean(req.body, 'use_privacy_mode');
  if (isScene === 'invalid') return errorReply(400, 'is_scene must be a boolean.');
  if (privacy === 'invalid') return errorReply(400, 'use_privacy_mode must be a boolean.');
  const ds = ctx.store.createDataset(req.tenant, { name, isScene: isScene ?? false, usePrivacyMode: privacy ?? false, createdAt: ctx.clock.now() });
  return jsonReply(200, { dataset_id: ds.id, name: ds.name });
}

function getDataset(ctx: ApiContext, req: ApiRequest): Reply {
  const ds = ctx.store.dataset(req.tenant, req.params[0]!);
  if (!ds) return notFound(`Dataset ${shown(req.params[0]!)}`);
  return jsonReply(200, {
    dataset_id: ds.id,
    name: ds.name,
    length: ds.items.size,
    annotation_count: ds.annotations.size,
    is_scene: ds.isScene,
    use_privacy_mode: ds.usePrivacyMode,
    model_run_ids: [],
    slice_ids: [],
    created_at: new Date(ds.createdAt).toISOString(),
  });
}

function signedUrl(ctx: ApiContext, req: ApiRequest): Reply {
  const [datasetId, requestId] = req.params as [string, string];
  const ds = ctx.store.dataset(req.tenant, datasetId);
  if (!ds) return notFound(`Dataset ${shown(datasetId)}`);
  if (!REQUEST_ID.test(requestId)) return errorReply(400, 'request_id must be 1 to 128 letters, digits, "_", "-" or ".".');
  const slot = ctx.store.uploadSlot(req.tenant, ds.id, requestId);
  return jsonReply(200, { signed_url: `${ctx.origin}${UPLOAD_PREFIX}/${slot.token}` });
}

function startUpload(ctx: ApiContext, req: ApiRequest, type: UploadJobType): Reply {
  const datasetId = req.params[0]!;
  const ds = ctx.store.dataset(req.tenant, datasetId);
  if (!ds) return notFound(`Dataset ${shown(datasetId)}`);
  const asyncFlag = req.query.get('async');
  if (asyncFlag !== '1' && asyncFlag !== 'true') {
    return errorReply(400, 'The emulator only implements asynchronous uploads: add ?async=1 and send {"requestId", "update"}.');
  }
  const requestId = field(req.body, 'requestId');
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) return errorReply(400, 'requestId is required: the request_id of the signed URL the NDJSON was PUT to.');
  const update = optionalBoolean(req.body, 'update');
  if (update === 'invalid') return errorReply(400, 'update must be a boolean.');

  // The same requestId twice starts no second job: it answers the first one.
  const existing = ctx.engine.jobForRequest(req.tenant, ds.id, requestId);
  if (existing) return jsonReply(200, ctx.engine.infoBody(existing));

  const upload = ctx.store.uploadByRequest(req.tenant, ds.id, requestId);
  if (!upload || upload.body === undefined) {
    return errorReply(400, `Nothing was uploaded for requestId ${shown(requestId)}: GET the signed URL and PUT the NDJSON to it first.`);
  }
  const job = ctx.engine.start({ tenant: req.tenant, datasetId: ds.id, type, requestId, update: update ?? false, body: upload.body });
  // The job holds the bytes now; the slot keeps nothing (the requestId answers this job from now on).
  ctx.store.setUploadBody(upload, undefined);
  return jsonReply(200, ctx.engine.infoBody(job));
}

function parseDate(v: unknown, name: string): number | undefined | string {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return `${name} must be a date string.`;
  // Python sends str(datetime) ("2026-11-28 10:00:00"); ISO strings work too. No zone means UTC.
  let s = v.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += 'Z';
  const t = Date.parse(s);
  return Number.isNaN(t) ? `${name} is not a valid date.` : t;
}

function listJobs(ctx: ApiContext, req: ApiRequest): Reply {
  const b = req.body;
  const datasetId = field(b, 'dataset_id');
  if (datasetId !== undefined && datasetId !== null && typeof datasetId !== 'string') return errorReply(400, 'dataset_id must be a string or null.');
  const jobTypes = field(b, 'job_types');
  if (jobTypes !== undefined && jobTypes !== null && !(Array.isArray(jobTypes) && jobTypes.every((x) => typeof x === 'string'))) {
    return errorReply(400, 'job_types must be a list of strings or null.');
  }
  const from = parseDate(field(b, 'from_date'), 'from_date');
  const to = parseDate(field(b, 'to_date'), 'to_date');
  if (typeof from === 'string') return errorReply(400, from);
  if (typeof to === 'string') return errorReply(400, to);
  const limitRaw = field(b, 'limit');
  let limit = MAX_LIST_LIMIT;
  if (limitRaw !== undefined && limitRaw !== null) {
    if (typeof limitRaw !== 'number' || !Number.isInteger(limitRaw) || limitRaw < 1 || limitRaw > MAX_LIST_LIMIT) {
      return errorReply(400, `limit must be an integer from 1 to ${MAX_LIST_LIMIT}.`);
    }
    limit = limitRaw;
  }
  const showCompleted = optionalBoolean(b, 'show_completed');
  if (showCompleted === 'invalid') return errorReply(400, 'show_completed must be a boolean.');

  const types = Array.isArray(jobTypes) && jobTypes.length > 0 ? (jobTypes as string[]) : undefined;
  const jobs = ctx.engine
    .jobsOf(req.tenant)
    .filter((j) => {
      const created = Math.floor(j.createdAt / 1000) * 1000;
      return (
        (typeof datasetId !== 'string' || j.datasetId === datasetId) &&
        (!types || types.includes(j.type)) &&
        (from === undefined || created >= from) &&
        (to === undefined || created <= to) &&
        (showCompleted === true || !isTerminalStatus(j.status))
      );
    })
    // Newest first; the engine's insertion order breaks ties between jobs of the same millisecond.
    .map((j, i) => ({ j, i }))
    .sort((a, b2) => b2.j.createdAt - a.j.createdAt || b2.i - a.i)
    .slice(0, limit)
    .map(({ j }) => ctx.engine.infoBody(j));
  return jsonReply(200, jobs);
}
