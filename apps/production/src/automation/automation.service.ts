import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { type Actor, forbidden } from '#libs/contracts/src/index.js';
import { type AutomationView, CONNECTOR_CONCURRENCY, type SetAutomationMessage } from '#libs/contracts/src/production/automation.js';
import type { ConnectorPool } from '../connectors/connector-pool.js';
import { type AutomatedUnitRow, AutomationRepository } from './typeorm-automation.repository.js';

/**
 * A fab unit's operators say whether its queue is worked by a connector in production. Who may
 * is decided at the gateway (`fab-unit` / `operator`: fabrication knows the unit and its
 * operators, and answers 404 for a unit it does not know); a machine key is checked again
 * here against its own unit. The change is the table's; this process's pool follows at once,
 * the other processes' at their next refresh (ConnectorPool).
 */
export class AutomationService {
  private readonly logger = new Logger('Automation');
  private readonly units = new AutomationRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly pool: ConnectorPool,
  ) {}

  async get(actor: Actor | null, fabUnitId: string): Promise<AutomationView> {
    sameUnit(actor, fabUnitId);
    return view(fabUnitId, await this.units.find(this.dataSource.manager, fabUnitId));
  }

  async set(actor: Actor | null, message: SetAutomationMessage): Promise<AutomationView> {
    sameUnit(actor, message.fabUnitId);
    const m = this.dataSource.manager;
    const row = message.automated
      ? await this.units.upsert(m, { fabUnitId: message.fabUnitId, concurrency: message.concurrency ?? CONNECTOR_CONCURRENCY.default })
      : ((await this.units.remove(m, message.fabUnitId)), null);
    this.logger.log(
      `fab unit ${message.fabUnitId} ${row ? `automated (concurrency ${row.concurrency})` : 'not automated'} by ${actor ? `${actor.kind} ${actor.kind === 'machine' ? actor.apiKeyId : actor.accountId}` : 'the system'}`,
    );
    await this.pool.refresh();
    return view(message.fabUnitId, row);
  }
}

function sameUnit(actor: Actor | null, fabUnitId: string): void {
  if (actor?.kind === 'machine' && actor.fabUnitId !== fabUnitId) {
    throw forbidden(`This API key belongs to fab unit ${actor.fabUnitId}, not to fab unit ${fabUnitId}`);
  }
}

function view(fabUnitId: string, row: AutomatedUnitRow | null): AutomationView {
  return {
    fabUnitId,
    automated: row !== null,
    concurrency: row?.concurrency ?? null,
    automatedSince: row ? new Date(row.created_at).toISOString() : null,
  };
}
