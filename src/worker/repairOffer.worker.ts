/**
 * A small worker for the conventions' repairs (`repairFile.ts` `repairOffer`): the page posts the
 * checkpoint's subject, the request and its files' Blobs (references, not copies); the worker
 * replies with the verified outputs or the refusal. One request per worker: the panel starts one
 * per repair and terminates it after the reply.
 */
import type { RepairRequest, RepairSubject } from '../core/repair/offers';
import { repairOffer, type OfferOutcome } from './repairFile';

/** What the page posts. */
export interface OfferJob {
  readonly subject: RepairSubject;
  readonly request: RepairRequest;
  readonly files: [string, Blob][];
}

/** What the worker replies. */
export type OfferReply = { readonly ok: true; readonly outcome: OfferOutcome } | { readonly ok: false; readonly message: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<OfferJob>) => void) | null; postMessage(m: OfferReply): void };
scope.onmessage = (e) => {
  const { subject, request, files } = e.data;
  repairOffer(subject, request, new Map(files)).then(
    (outcome) => scope.postMessage({ ok: true, outcome }),
    (err: unknown) => scope.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
};
