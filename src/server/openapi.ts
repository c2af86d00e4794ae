/**
 * An OpenAPI 3.1 document built from the route table and its JSON schemas (no extra dependency).
 */
import type { RouteSpec } from './routes.js';

/** Version of this HTTP contract (not of the engine). */
export const API_VERSION = '1.0.0';

export function buildOpenApi(routes: RouteSpec[], options: { apiKeys: boolean; openMetrics?: boolean }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const params = r.schema.params as { properties?: Record<string, object>; required?: string[] } | undefined;
    const query = r.schema.querystring as { properties?: Record<string, object> } | undefined;
    const parameters = [
      ...Object.entries(params?.properties ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries(query?.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.schema.response)) {
      const type = status === '200' && r.produces ? r.produces : 'application/json';
      responses[status.toUpperCase()] = {
        description: status === '200' ? 'OK' : 'Error: { error: { code, message } }',
        content: { [type]: { schema } },
      };
    }
    paths[path] = {
      ...paths[path],
      [r.method.toLowerCase()]: {
        operationId: r.operationId,
        summary: r.summary,
        ...(parameters.length ? { parameters } : {}),
        ...(r.schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.schema.body } } } } : {}),
        responses,
        ...((r.guarded || (r.operator === true && !options.openMetrics)) && options.apiKeys ? { security: [{ bearer: [] }] } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'tainttrace lookup API',
      version: API_VERSION,
      description: 'Taint of NEM accounts and transfers, and deposit screening. Amounts are XEM decimal strings with six decimals.',
    },
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key' } } },
  };
}
