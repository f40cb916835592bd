/** The apps of Cosmolocal. Each owns the PostgreSQL schema of the same name. */
export const SERVICE_NAMES = ['gateway', 'commons', 'fabrication', 'production', 'council'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The four that sit behind the gateway on the transport. */
export const BACKEND_SERVICES = ['commons', 'fabrication', 'production', 'council'] as const;
export type BackendService = (typeof BACKEND_SERVICES)[number];

/** Injection tokens of the transport clients, one per backend service. */
export const SERVICE_CLIENT: Record<BackendService, string> = {
  commons: 'COMMONS_CLIENT',
  fabrication: 'FABRICATION_CLIENT',
  production: 'PRODUCTION_CLIENT',
  council: 'COUNCIL_CLIENT',
};
