import type { DemoFacts } from './facts.js';

/**
 * A small, consistent run as the demo would record it: one council pooling twin labs, two
 * candidates (one funded, made in two steps, one of them declined and rerouted to the twin
 * inside the period), for the checks and the report to be tested without a server.
 */
export function sampleFacts(): DemoFacts {
  const budget = {
    from: '2026-03-02T00:00:00.000Z',
    to: '2026-03-09T00:00:00.000Z',
    fabUnitIds: ['unit-a', 'unit-b'],
    machineMinutes: { '3d-printing.fdm': 600 },
    materials: { petg: { quantity: 5, unit: 'kg' } },
    money: '40',
    limits: { '3d-printing.fdm machine minutes': '600', 'petg kg': '5' },
  };
  return {
    runId: 'abc123',
    seed: 1,
    scale: 1,
    baseUrl: 'http://127.0.0.1:3000',
    startedSystem: true,
    timings: [{ step: 'designs', ms: 1200 }],
    designs: [
      { file: 'demo/okh/crutch.toml', outcome: 'imported', slug: 'crutch-tip', version: '1.2.0', title: 'Replaceable crutch tip', contentHash: 'h'.repeat(64), designVersionId: 'dv-1', key: 'crutch-tip', attribution: ['Aïcha Benali'] },
      { file: 'okh/broken.yml', outcome: 'refused', detail: '400 Bad manifest: line 3' },
    ],
    okw: { file: 'data/okw/fablabs-io-2237.json', records: 2237, created: 2236, merged: 1, updated: 0, unchanged: 0, skipped: 0, flaggedNotLocatable: 201, warnings: [] },
    units: { 'unit-a': 'Fab Lab A', 'unit-b': 'Fab Lab B' },
    equip: { selected: 3, pooled: 2, newlyEquipped: 3, alreadyEquipped: 0, machinesByProcess: { '3d-printing.fdm': 3 }, hours: { 'weekdays 09:00–17:00': 3 } },
    councils: [
      {
        region: 'paris',
        name: 'Paris council',
        councilId: 'c-1',
        roundId: 'r-1',
        poolUnitIds: ['unit-a', 'unit-b'],
        machinesPerProcess: { '3d-printing.fdm': 2 },
        delegates: 1,
        community: 2,
        periodFrom: budget.from,
        periodTo: budget.to,
        needBy: '2026-03-30T00:00:00.000Z',
        budget,
        ballots: 3,
        requests: [
          { key: 'paris-0', label: 'crutch tips, clinic', design: 'crutch-tip', purpose: '4 crutch tips', quantity: 4, requester: 'Ana', id: 'req-1', plannedUnits: ['unit-a'], candidate: true, minutes: { '3d-printing.fdm': 380 }, stateAfterRound: 'funded', finalState: 'fulfilled', reason: null },
          { key: 'paris-1', label: 'crutch tips, shelter', design: 'crutch-tip', purpose: '3 crutch tips', quantity: 3, requester: 'Léa', id: 'req-2', plannedUnits: ['unit-a'], candidate: true, minutes: { '3d-printing.fdm': 285 }, stateAfterRound: 'unfunded', finalState: 'unfunded', reason: 'not enough' },
        ],
        result: {
          roundId: 'r-1',
          rule: 'Method of Equal Shares',
          tieBreak: 'id',
          members: 3,
          ballots: 3,
          quorumMet: true,
          budget: '40',
          cost: '19',
          funded: ['req-1'],
          candidates: [
            { productionRequestId: 'req-1', title: 'Crutch tip', funded: true, position: 1, votes: 3, score: '3', cost: '19', resources: { '3d-printing.fdm machine minutes': '380', 'petg kg': '0.152' }, reason: 'selected in round 1' },
            {
              productionRequestId: 'req-2',
              title: 'Crutch tip',
              funded: false,
              position: null,
              votes: 1,
              score: '1',
              cost: '14.25',
              resources: { '3d-printing.fdm machine minutes': '285', 'petg kg': '0.114' },
              reason: 'not enough 3d-printing.fdm machine minutes left (needs 285, 220 left)',
              shortResource: '3d-printing.fdm machine minutes',
            },
          ],
          remainingResources: {},
          digest: 'd'.repeat(64),
          receipts: [],
          closedAt: '2026-03-01T12:00:00.000Z',
        },
      },
    ],
    reservations: [
      { fabUnitId: 'unit-a', machineId: 'm-1', process: '3d-printing.fdm', key: 'job-1', start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T12:00:00.000Z' },
      { fabUnitId: 'unit-a', machineId: 'm-1', process: '3d-printing.fdm', key: 'job-2', start: '2026-03-02T12:00:00.000Z', end: '2026-03-02T15:20:00.000Z' },
    ],
    stock: [{ fabUnitId: 'unit-a', material: 'petg', quantity: 5, held: 0.152 }],
    jobs: [
      { id: 'job-1', requestId: 'req-1', stepIndex: 0, attempt: 0, fabUnitId: 'unit-a', process: '3d-printing.fdm', minutes: 180, state: 'completed', reroutedFrom: null, reason: null, reserved: { start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T12:00:00.000Z' } },
      { id: 'job-2', requestId: 'req-1', stepIndex: 1, attempt: 0, fabUnitId: 'unit-a', process: '3d-printing.fdm', minutes: 200, state: 'declined', reroutedFrom: null, reason: 'down', reserved: { start: '2026-03-02T12:00:00.000Z', end: '2026-03-02T15:20:00.000Z' } },
      { id: 'job-3', requestId: 'req-1', stepIndex: 1, attempt: 1, fabUnitId: 'unit-b', process: '3d-printing.fdm', minutes: 200, state: 'completed', reroutedFrom: 'job-2', reason: null, reserved: { start: '2026-03-02T12:00:00.000Z', end: '2026-03-02T15:20:00.000Z' } },
    ],
    connectors: { units: 2, taken: ['job-1', 'job-2', 'job-3'], leftovers: 0, declined: { jobId: 'job-2', fabUnitId: 'unit-a' }, failed: [], cancelledWhileHeld: 0 },
    provenance: {
      view: {
        jobId: 'job-1',
        requestId: 'req-1',
        design: { designVersionId: 'dv-1', designId: 'd-1', title: 'Replaceable crutch tip', version: '1.2.0', contentHash: 'h'.repeat(64), license: 'CERN-OHL-S-2.0', attribution: [{ name: 'Aïcha Benali', role: 'designer' }] },
        fabUnitId: 'unit-a',
        machineId: 'm-1',
        process: '3d-printing.fdm',
        quantity: 4,
        materialsConsumed: [{ material: 'petg', quantity: 152, unit: 'g' }],
        acceptedAt: '2026-03-01T12:01:00.000Z',
        startedAt: '2026-03-01T12:01:00.000Z',
        completedAt: '2026-03-01T12:02:00.000Z',
        recordedAt: '2026-03-01T12:02:00.000Z',
      },
      expectedContentHash: 'h'.repeat(64),
      expectedAttribution: ['Aïcha Benali'],
      requestLabel: 'crutch tips, clinic',
      fabUnitName: 'Fab Lab A',
    },
  };
}
