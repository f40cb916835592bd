import { productionOptionsFromEnv } from './production.module.js';

describe('productionOptionsFromEnv', () => {
  it('maps the connector variables onto the pool and batcher options', () => {
    const options = productionOptionsFromEnv({
      PRODUCTION_CONNECTOR_MAX_WORKERS: '12',
      PRODUCTION_CONNECTOR_BATCH: '100',
      PRODUCTION_CONNECTOR_BATCH_WAIT_MS: '0',
      PRODUCTION_CONNECTOR_MAX_IN_FLIGHT: '3',
    });
    expect(options.connectors).toBe(true);
    expect(options.connectorPool).toEqual({ maxWorkers: 12, batch: { maxBatch: 100, maxWaitMs: 0, maxInFlight: 3 } });
  });

  it('leaves the defaults to the pool and batcher when nothing is set, and turns connectors off on request', () => {
    const options = productionOptionsFromEnv({ PRODUCTION_CONNECTORS: 'off' });
    expect(options.connectors).toBe(false);
    expect(options.connectorPool).toEqual({ batch: {} });
  });
});
