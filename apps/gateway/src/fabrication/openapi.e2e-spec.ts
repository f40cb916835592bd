import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

/** The operations of this folder's controllers, told apart by the operation ids Nest derives from them. */
const FABRICATION_CONTROLLERS = ['FabUnitsController_', 'MachinesController_', 'MatchesController_'];

describe('OpenAPI of the fabrication routes', () => {
  let t: TestSystem;
  let doc: { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>; components: { schemas: Record<string, Schema> } };
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway'] });
    const answer = await t.http.get('/docs-json');
    expect(answer.status).toBe(200);
    doc = answer.body;
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => FABRICATION_CONTROLLERS.some((c) => op.operationId?.startsWith(c)))
        .map(([method, op]) => ({ ...op, method, path })),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Follows $ref and single-member allOf (how a nullable nested class is written) to the schema itself. */
  const resolve = (schema: Schema): Schema => {
    let s = schema;
    for (;;) {
      if (s.$ref) {
        const name = (s.$ref as string).replace('#/components/schemas/', '');
        const target = doc.components.schemas[name];
        if (!target) throw new Error(`${s.$ref} is not in components.schemas`);
        s = target;
      } else if (Array.isArray(s.allOf) && s.allOf.length === 1) s = s.allOf[0];
      else return s;
    }
  };

  /**
   * Every schema reachable from `schema`, with where it was found: an object without
   * properties and without a typed map (`additionalProperties`) is a shape nobody can read.
   */
  const shapeless = (schema: Schema, where: string, seen = new Set<Schema>()): string[] => {
    const s = resolve(schema);
    if (seen.has(s)) return [];
    seen.add(s);
    if (s.type === 'array') return shapeless(s.items ?? {}, `${where}[]`, seen);
    const out: string[] = [];
    const isObject = s.type === 'object' || s.properties || s.additionalProperties;
    if (isObject && !s.properties && (typeof s.additionalProperties !== 'object' || !Object.keys(s.additionalProperties).length)) out.push(where);
    for (const [key, value] of Object.entries<Schema>(s.properties ?? {})) out.push(...shapeless(value, `${where}.${key}`, seen));
    if (typeof s.additionalProperties === 'object') out.push(...shapeless(s.additionalProperties, `${where}{}`, seen));
    return out;
  };

  const success = (op: Operation) => {
    const codes = Object.keys(op.responses).filter((code) => /^2\d\d$/.test(code));
    expect(codes).toHaveLength(1);
    return { code: codes[0]!, content: op.responses[codes[0]!]!.content ?? {} };
  };

  const matchesSchema = () => {
    const op = operations.find((o) => o.path === '/matches' && o.method === 'get')!;
    return resolve(success(op).content['application/json']!.schema!);
  };

  it('covers every route of the fab unit, machine and matching controllers', () => {
    const routes = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(routes).toEqual(
      [
        'POST /fab-units',
        'GET /fab-units',
        'POST /fab-units/import',
        'GET /fab-units/{id}',
        'PATCH /fab-units/{id}',
        'GET /fab-units/{id}/okw',
        'POST /fab-units/{id}/operators',
        'DELETE /fab-units/{id}/operators/{accountId}',
        'POST /fab-units/{id}/machines',
        'PUT /fab-units/{id}/materials/{material}',
        'PUT /fab-units/{id}/opening-hours',
        'GET /fab-units/{id}/capacity',
        'POST /fab-units/{id}/reservations',
        'GET /fab-units/{id}/reservations',
        'DELETE /fab-units/{id}/reservations/{reservationId}',
        'PATCH /machines/{id}',
        'GET /matches',
      ].sort(),
    );
  });

  it('documents each JSON success answer with a schema whose properties are all described, nested shapes included', () => {
    for (const op of operations) {
      const route = `${op.method.toUpperCase()} ${op.path}`;
      const { code, content } = success(op);
      expect([route, code]).toEqual([route, op.method === 'post' && op.path !== '/fab-units/import' ? '201' : '200']);
      if (op.path === '/fab-units/{id}/okw') {
        expect([route, content['application/yaml']?.schema]).toEqual([route, { type: 'string' }]);
        continue;
      }
      const schema = content['application/json']?.schema;
      expect([route, schema !== undefined]).toEqual([route, true]);
      const top = resolve(schema!);
      const body = top.type === 'array' ? resolve(top.items) : top;
      expect([route, Object.keys(body.properties ?? {}).length > 0]).toEqual([route, true]);
      expect([route, shapeless(schema!, 'body')]).toEqual([route, []]);
    }
  });

  it('answers a list where a list is answered', () => {
    const list = (path: string, method: string) =>
      resolve(success(operations.find((o) => o.path === path && o.method === method)!).content['application/json']!.schema!);
    expect(list('/fab-units/{id}/machines', 'post').type).toBe('array');
    expect(list('/fab-units/{id}/reservations', 'get').type).toBe('array');
    expect(list('/fab-units/{id}', 'get').type).toBe('object');
  });

  it('documents every problem answer as RFC 9457 problem details, bad input and an unavailable service on each route', () => {
    for (const op of operations) {
      const route = `${op.method.toUpperCase()} ${op.path}`;
      const problems = Object.keys(op.responses).filter((code) => /^[45]\d\d$/.test(code));
      expect([route, problems]).toEqual([route, expect.arrayContaining(['400', '503'])]);
      for (const code of problems) {
        const schema = op.responses[code]!.content?.['application/problem+json']?.schema;
        expect([route, code, schema]).toEqual([route, code, { $ref: '#/components/schemas/ProblemDetailsDto' }]);
      }
      // Routes for signed-in people say so: 401 and 403 come with them.
      const open = ['get /fab-units', 'get /fab-units/{id}', 'get /fab-units/{id}/okw', 'get /fab-units/{id}/capacity', 'get /matches'];
      if (!open.includes(`${op.method} ${op.path}`)) expect([route, problems]).toEqual([route, expect.arrayContaining(['401', '403'])]);
    }
    const matches = operations.find((o) => o.path === '/matches')!;
    expect(Object.keys(matches.responses)).toEqual(expect.arrayContaining(['404', '422']));
  });

  it('documents the match answer: candidates with steps and cost vectors, explanations, split plans, the demand', () => {
    const result = matchesSchema();
    expect(Object.keys(result.properties)).toEqual(
      expect.arrayContaining(['quantity', 'needBy', 'location', 'maxDistanceKm', 'demand', 'candidates', 'splitPlans', 'exclusions', 'counts']),
    );
    const costVector = (s: Schema) => {
      const cost = resolve(s);
      expect(Object.keys(cost.properties)).toEqual(['machineMinutes', 'materials']);
      expect(cost.properties.machineMinutes.additionalProperties).toEqual({ type: 'integer' });
      const material = resolve(cost.properties.materials.additionalProperties);
      expect(Object.keys(material.properties)).toEqual(['quantity', 'unit']);
    };
    costVector(result.properties.demand);

    expect(result.properties.candidates.type).toBe('array');
    const candidate = resolve(result.properties.candidates.items);
    expect(Object.keys(candidate.properties)).toEqual(
      expect.arrayContaining(['split', 'unitId', 'unitName', 'distanceKm', 'completion', 'successfulBuilds', 'steps', 'cost']),
    );
    costVector(candidate.properties.cost);
    const step = resolve(candidate.properties.steps.items);
    expect(Object.keys(step.properties)).toEqual(
      expect.arrayContaining(['stepIndex', 'process', 'material', 'machineId', 'machineProcess', 'minutes', 'slots', 'start', 'completion']),
    );
    expect(Object.keys(resolve(step.properties.slots.items).properties)).toEqual(['start', 'end']);

    const exclusion = resolve(result.properties.exclusions.items);
    expect(Object.keys(exclusion.properties)).toEqual(expect.arrayContaining(['unitId', 'unitName', 'distanceKm', 'rule', 'stepIndex', 'reason']));
    expect(exclusion.properties.rule.enum).toEqual(['status', 'distance', 'process', 'envelope', 'material', 'stock', 'time']);
    expect(exclusion.required).toEqual(expect.arrayContaining(['rule', 'reason']));

    const plan = resolve(result.properties.splitPlans.items);
    expect(Object.keys(plan.properties)).toEqual(expect.arrayContaining(['split', 'parts', 'completion', 'totalDistanceKm', 'cost']));
    costVector(plan.properties.cost);
    const part = resolve(plan.properties.parts.items);
    expect(Object.keys(part.properties)).toEqual(expect.arrayContaining(['unitId', 'unitName', 'distanceKm', 'steps']));
    expect(resolve(part.properties.steps.items)).toBe(step);

    expect(Object.keys(resolve(result.properties.counts).properties)).toEqual(['units', 'matched', 'excluded', 'explained']);
  });
});
