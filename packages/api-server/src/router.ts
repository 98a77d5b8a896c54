import type { RequestContext } from './context.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** A handler responds through its context; returning without a response answers 204. */
export type Handler = (ctx: RequestContext) => void | Promise<void>;

/**
 * One API route. `path` is the unversioned path with gorilla/mux-style parameters: `{id}`
 * matches one segment, `{name:.*}` any text including slashes (image names such as
 * `library/busybox`), `{x:<regexp>}` the given expression.
 */
export interface Route {
  method: HttpMethod;
  path: string;
  handler: Handler;
  /**
   * Attach and exec start: the handler may hijack the connection, and a chunked request body
   * is the stdin stream (dockerode's HttpDuplex) rather than a document.
   */
  hijack?: boolean;
}

interface CompiledRoute {
  route: Route;
  regexp: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

const PARAM = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const m of route.path.matchAll(PARAM)) {
    source += escapeRegExp(route.path.slice(last, m.index));
    names.push(m[1] as string);
    source += `(${m[2] ?? '[^/]+'})`;
    last = m.index + m[0].length;
  }
  source += escapeRegExp(route.path.slice(last));
  return { route, regexp: new RegExp(`^${source}$`), names };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Routes in registration order; the first whose method and pattern match wins, as in gorilla/mux. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map(compile);
  }

  /** Matches a decoded, unversioned path (as Go's mux matches URL.Path). */
  match(method: string, path: string): RouteMatch | undefined {
    for (const c of this.routes) {
      if (c.route.method !== method) continue;
      const m = c.regexp.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = m[i + 1] ?? '';
      });
      return { route: c.route, params };
    }
    return undefined;
  }
}
