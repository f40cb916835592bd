export { parseOkhManifest, coerceVersion, type OkhImport, type OkhMediaType } from './okh-import.js';
export { toOkhLoshToml, type OkhExportMeta } from './okh-export.js';
export {
  COSMOLOCAL_KEY,
  COSMOLOCAL_EXTENSION_VERSION,
  readCosmolocalExtension,
  writeCosmolocalExtension,
  type CosmolocalExtension,
} from './cosmolocal-extension.js';
