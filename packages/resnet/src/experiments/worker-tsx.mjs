// Worker threads start without the TypeScript loader that runs the CLI from source, so this
// plain-JS entry loads worker.ts through tsx (pool.ts uses it only when running from src/).
import { tsImport } from 'tsx/esm/api';

const mod = await tsImport('./worker.ts', import.meta.url);
export default mod.default;
