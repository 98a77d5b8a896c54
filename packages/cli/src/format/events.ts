import { localRFC3339NanoFixed } from './text.js';

/** A line of `GET /events`: the pre-1.22 fields and today's Type/Action/Actor. */
export interface EventLine {
  status?: string;
  id?: string;
  from?: string;
  Type?: string;
  Action?: string;
  Actor?: { ID: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

const FULL_ID = /^[0-9a-f]{64}$/;

/**
 * docker 1.7's event line (jsonmessage.Display): `<time> <id>: (from <image>) <status>`, the time
 * RFC3339 with nine fixed fraction digits in local time, container IDs shortened to 12.
 */
export function formatEvent(e: EventLine): string {
  let line = '';
  if (e.time) line += `${localRFC3339NanoFixed(e.time)} `;
  const id = e.id ?? e.Actor?.ID ?? '';
  if (id !== '') line += `${FULL_ID.test(id) ? id.slice(0, 12) : id}: `;
  if (e.from) line += `(from ${e.from}) `;
  return `${line}${e.status ?? e.Action ?? ''}\n`;
}
