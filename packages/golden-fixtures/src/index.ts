// Platform-neutral entry: the fetch-based reader. The Node reader is in `@spgdataset/golden-fixtures/node`.
export { assertFixtureName, type FixtureReader, GOLDEN_FIXTURE_FILES } from './fixture-reader';
export { urlFixtureReader } from './url-fixture-reader';
