import { Initial1796326786519 } from './1796326786519-Initial';
import { SearchAndCodes1796326800000 } from './1796326800000-SearchAndCodes';
import { RelationsAndQuality1796327959201 } from './1796327959201-RelationsAndQuality';
import { Identity1796328093464 } from './1796328093464-Identity';
import { SearchRelevance1796330000000 } from './1796330000000-SearchRelevance';
import { ListAndSuggestIndexes1796340000000 } from './1796340000000-ListAndSuggestIndexes';
import { FasterSearchVector1796350000000 } from './1796350000000-FasterSearchVector';
import { PrefixOnTypedWord1796360000000 } from './1796360000000-PrefixOnTypedWord';
import { OwnerInSearchVector1796370000000 } from './1796370000000-OwnerInSearchVector';
import { DistinctQueryTerms1796380000000 } from './1796380000000-DistinctQueryTerms';
import { InflectionsAreNotTypos1796390000000 } from './1796390000000-InflectionsAreNotTypos';
import { TyposByEditDistance1796400000000 } from './1796400000000-TyposByEditDistance';
import { PublicVocabulary1796410000000 } from './1796410000000-PublicVocabulary';
import { SearchVectorStatistics1796420000000 } from './1796420000000-SearchVectorStatistics';
import { UniqueXRoadMember1796430000000 } from './1796430000000-UniqueXRoadMember';
import { OneOrganisationCodeIndex1796440000000 } from './1796440000000-OneOrganisationCodeIndex';
import { VocabularyFollowsPublicWords1796450000000 } from './1796450000000-VocabularyFollowsPublicWords';
import { NearestCorrectionsFirst1796460000000 } from './1796460000000-NearestCorrectionsFirst';
import { NameVector1796470000000 } from './1796470000000-NameVector';
import { BoundedGinPendingLists1796480000000 } from './1796480000000-BoundedGinPendingLists';
import { ExactWordsInNames1796490000000 } from './1796490000000-ExactWordsInNames';
import { CamelCaseWords1796500000000 } from './1796500000000-CamelCaseWords';

/** Every migration, in order. scripts/migration-generate.ts prints the line to add. */
export const MIGRATIONS: Function[] = [Initial1796326786519, SearchAndCodes1796326800000, RelationsAndQuality1796327959201, Identity1796328093464, SearchRelevance1796330000000, ListAndSuggestIndexes1796340000000, FasterSearchVector1796350000000, PrefixOnTypedWord1796360000000, OwnerInSearchVector1796370000000, DistinctQueryTerms1796380000000, InflectionsAreNotTypos1796390000000, TyposByEditDistance1796400000000, PublicVocabulary1796410000000, SearchVectorStatistics1796420000000, UniqueXRoadMember1796430000000, OneOrganisationCodeIndex1796440000000, VocabularyFollowsPublicWords1796450000000, NearestCorrectionsFirst1796460000000, NameVector1796470000000, BoundedGinPendingLists1796480000000, ExactWordsInNames1796490000000, CamelCaseWords1796500000000];
