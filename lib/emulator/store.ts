/**
 * The emulator's in-memory state: datasets and pending uploads, partitioned by tenant (one tenant per
 * API key). Jobs live in the engine. Every collection is a `Map`, so ids taken from requests can
 * never reach an object prototype.
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from './records.js';
import { newId, newToken } from './ids.js';

export interface Dataset {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly isScene: boolean;
  readonly usePrivacyMode: boolean;
  readonly createdAt: number;
  /** Items by reference id. */
  readonly items: Map<string, JsonObject>;
  /** Annotations by `referenceId \0 annotationId` (lines without annotation id get a generated one). */
  readonly annotations: Map<string, JsonObject>;
}

export interface Upload {
  readonly token: string;
  readonly tenant: string;
  readonly datasetId: string;
  readonly requestId: string;
  /** The NDJSON body of the last PUT, if any (handed to the job when one starts). */
  readonly body: Buffer | undefined;
}

/** The tenant of an API key: a one-way digest, so the state never holds a key itself. */
export function tenantOf(kind: 'basic' | 'limited', key: string): string {
  return createHash('sha256').update(`${kind}\0${key}`).digest('hex').slice(0, 24);
}

export class Store {
  readonly #datasets = new Map<string, Dataset>();
  readonly #uploads = new Map<string, Upload>();
  readonly #uploadsByRequest = new Map<string, Upload>();
  #pendingBytes = 0;

  /** Bytes of uploads PUT and not yet handed to a job. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Replaces the body of an upload slot (`undefined`: hand it over to a job). */
  setUploadBody(slot: Upload, body: Buffer | undefined): void {
    this.#pendingBytes += (body?.length ?? 0) - (slot.body?.length ?? 0);
    (slot as { body: Buffer | undefined }).body = body;
  }

  createDataset(tenant: string, init: { name: string; isScene: boolean; usePrivacyMode: boolean; createdAt: number }): Dataset {
    const ds: Dataset = { id: newId('ds'), tenant, ...init, items: new Map(), annotations: new Map() };
    this.#datasets.set(ds.id, ds);
    return ds;
  }

  /** The tenant's dataset, or `undefined` (for another tenant's dataset too). */
  dataset(tenant: string, id: string): Dataset | undefined {
    const ds = this.#datasets.get(id);
    return ds && ds.tenant === tenant ? ds : undefined;
  }

  /** Any dataset, whoever owns it (engine and control API only). */
  datasetById(id: string): Dataset | undefined {
    return this.#datasets.get(id);
  }

  /** The upload slot of `(tenant, dataset, requestId)`, created on first use: asking twice answers the same URL. */
  uploadSlot(tenant: string, datasetId: string, requestId: string): Upload {
    const key = `${tenant}\0${datasetId}\0${requestId}`;
    let up = this.#uploadsByRequest.get(key);
    if (!up) {
      up = { token: newToken(), tenant, datasetId, requestId, body: undefined };
      this.#uploadsByRequest.set(key, up);
      this.#uploads.set(up.token, up);
    }
    return up;
  }

  uploadByToken(token: string): Upload | undefined {
    return this.#uploads.get(token);
  }

  uploadByRequest(tenant: string, datasetId: string, requestId: string): Upload | undefined {
    return this.#uploadsByRequest.get(`${tenant}\0${datasetId}\0${requestId}`);
  }
}
