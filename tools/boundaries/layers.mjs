// The package layering of DESIGN.md: each package and the packages it may import.
// `cli` also reaches `api-server` and `engine-core`, for `berth daemon` only (loaded lazily), and
// `registry` for what docker's CLI does itself: reference parsing and config.json credentials.
export const LAYERS = {
  'api-types': [],
  namesgenerator: [],
  'dockerfile-parser': [],
  'go-template': [],
  libcontainer: [],
  registry: [],
  'graph-aufs': ['libcontainer'],
  'engine-core': ['graph-aufs', 'libcontainer', 'registry', 'namesgenerator', 'api-types'],
  builder: ['dockerfile-parser', 'engine-core'],
  'api-server': ['engine-core', 'builder', 'api-types'],
  cli: ['go-template', 'api-types', 'registry', 'api-server', 'engine-core', 'builder'],
};
