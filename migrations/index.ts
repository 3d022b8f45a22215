import { Initial1796326786519 } from './1796326786519-Initial';
import { SearchAndCodes1796326800000 } from './1796326800000-SearchAndCodes';
import { SearchRelevance1796330000000 } from './1796330000000-SearchRelevance';

/** Every migration, in order. scripts/migration-generate.ts prints the line to add. */
export const MIGRATIONS: Function[] = [Initial1796326786519, SearchAndCodes1796326800000, SearchRelevance1796330000000];
