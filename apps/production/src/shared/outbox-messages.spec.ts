import { describe, expect, it } from '@jest/globals';
import { BUILD_REPORT_JOBS, type BuildReportMessage, MAX_BUILD_REPORTS_PER_MESSAGE } from '#libs/contracts/src/commons/messages.js';
import { MAX_OUTCOME_KEYS_PER_MESSAGE, RESERVATION_OUTCOME_JOBS } from '#libs/contracts/src/fabrication/messages.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import { buildReportsMessages, EndedJobMessages, fabQueueMessages, MAX_QUEUE_ENTRIES_PER_ROW, reservationOutcomesMessages } from './outbox-messages.js';

const report = (sourceJobId: string): BuildReportMessage => ({
  sourceJobId,
  designVersionId: '11111111-1111-4111-8111-111111111111',
  fabUnitId: '22222222-2222-4222-8222-222222222222',
  success: true,
  quantity: 1,
  reportedAt: '2026-01-01T10:00:00.000Z',
});
const ids = (n: number) => Array.from({ length: n }, (_, i) => `job-${String(i).padStart(4, '0')}`);
const AT = new Date('2026-01-01T12:00:00.000Z');

describe('batched outbox messages', () => {
  it('queue entries: one fan-out row per unit for its jobs, in order; a unit with one job gets a plain message', () => {
    const [u1, u2] = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    const messages = fabQueueMessages([
      { id: 'j3', fabUnitId: u1 },
      { id: 'j1', fabUnitId: u1 },
      { id: 'j2', fabUnitId: u2 },
      { id: 'j4', fabUnitId: u1 },
    ]);
    expect(messages).toEqual([
      {
        queue: QUEUES.fabUnit(u1),
        name: 'job',
        payload: { jobs: 3 },
        jobId: expect.stringMatching(/^jobs-[0-9a-f]{40}$/),
        entries: [
          { jobId: 'j3', payload: { jobId: 'j3' } },
          { jobId: 'j1', payload: { jobId: 'j1' } },
          { jobId: 'j4', payload: { jobId: 'j4' } },
        ],
      },
      { queue: QUEUES.fabUnit(u2), name: 'job', payload: { jobId: 'j2' }, jobId: 'j2' },
    ]);
    // A retried transaction names its row the same; other jobs, another row.
    expect(fabQueueMessages(['j4', 'j3', 'j1'].map((id) => ({ id, fabUnitId: u1 })))[0]!.jobId).toBe(messages[0]!.jobId);
    expect(fabQueueMessages(['j3', 'j1'].map((id) => ({ id, fabUnitId: u1 })))[0]!.jobId).not.toBe(messages[0]!.jobId);
    expect(fabQueueMessages([])).toEqual([]);
  });

  it('queue entries: at most MAX_QUEUE_ENTRIES_PER_ROW a row', () => {
    const many = fabQueueMessages(ids(MAX_QUEUE_ENTRIES_PER_ROW * 2 + 1).map((id) => ({ id, fabUnitId: '11111111-1111-4111-8111-111111111111' })));
    expect(many.map((m) => m.entries?.length ?? 1)).toEqual([MAX_QUEUE_ENTRIES_PER_ROW, MAX_QUEUE_ENTRIES_PER_ROW, 1]);
    expect(many[2]!.entries).toBeUndefined();
  });

  it('one build-reports message for a batch, named after its jobs whatever their order', () => {
    const [message, ...rest] = buildReportsMessages(['c', 'a', 'b'].map(report));
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ queue: QUEUES.buildReports, name: BUILD_REPORT_JOBS.batch, jobId: expect.stringMatching(/^builds-[0-9a-f]{40}$/) });
    expect((message!.payload as { reports: BuildReportMessage[] }).reports.map((r) => r.sourceJobId)).toEqual(['a', 'b', 'c']);
    // A retried transaction writes the same id (the outbox and BullMQ then ignore it); other jobs, another id.
    expect(buildReportsMessages(['b', 'c', 'a'].map(report))[0]!.jobId).toBe(message!.jobId);
    expect(buildReportsMessages(['a', 'b'].map(report))[0]!.jobId).not.toBe(message!.jobId);
    expect(buildReportsMessages([])).toEqual([]);
  });

  it('one outcome message per outcome; a key given twice is settled once', () => {
    const [consume] = reservationOutcomesMessages(['k2', 'k1', 'k2'], 'consume', AT);
    expect(consume).toEqual({
      queue: QUEUES.reservations,
      name: RESERVATION_OUTCOME_JOBS.batch,
      payload: { keys: ['k1', 'k2'], outcome: 'consume', at: AT.toISOString() },
      jobId: expect.stringMatching(/^consume-[0-9a-f]{40}$/),
    });
    const [release] = reservationOutcomesMessages(['k1', 'k2'], 'release', new Date());
    expect(release!.jobId).toBe(consume!.jobId!.replace('consume-', 'release-'));
    expect(reservationOutcomesMessages([], 'release')).toEqual([]);
  });

  it('splits a batch larger than a message may carry, each chunk its own id', () => {
    const reports = buildReportsMessages(ids(MAX_BUILD_REPORTS_PER_MESSAGE * 2 + 1).map(report));
    expect(reports.map((m) => (m.payload as { reports: unknown[] }).reports.length)).toEqual([MAX_BUILD_REPORTS_PER_MESSAGE, MAX_BUILD_REPORTS_PER_MESSAGE, 1]);
    expect(new Set(reports.map((m) => m.jobId)).size).toBe(3);
    const outcomes = reservationOutcomesMessages(ids(MAX_OUTCOME_KEYS_PER_MESSAGE + 1), 'consume', AT);
    expect(outcomes.map((m) => (m.payload as { keys: string[] }).keys.length)).toEqual([MAX_OUTCOME_KEYS_PER_MESSAGE, 1]);
    expect(new Set(outcomes.map((m) => m.jobId)).size).toBe(2);
  });

  it("gathers a transaction's ended jobs into one message per queue and outcome", () => {
    const ended = new EndedJobMessages();
    for (const id of ids(250)) {
      ended.report(report(id));
      ended.outcome([id], 'consume');
    }
    ended.outcome(['failed-1'], 'release');
    ended.outcome(['sibling-1', 'sibling-2'], 'release');
    const messages = ended.take(AT);
    expect(messages.map((m) => [m.queue, m.name, m.jobId!.split('-')[0]])).toEqual([
      [QUEUES.buildReports, BUILD_REPORT_JOBS.batch, 'builds'],
      [QUEUES.reservations, RESERVATION_OUTCOME_JOBS.batch, 'consume'],
      [QUEUES.reservations, RESERVATION_OUTCOME_JOBS.batch, 'release'],
    ]);
    expect((messages[0]!.payload as { reports: unknown[] }).reports).toHaveLength(250);
    expect((messages[1]!.payload as { keys: string[] }).keys).toHaveLength(250);
    expect(messages[2]!.payload).toEqual({ keys: ['failed-1', 'sibling-1', 'sibling-2'], outcome: 'release', at: AT.toISOString() });
    expect(ended.take()).toEqual([]);
  });
});
