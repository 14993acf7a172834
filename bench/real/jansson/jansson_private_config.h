/* jansson_private_config.h — what jansson's configure writes for wasm32-wasi: standard headers;
 * no /dev/urandom or clock for the hash seed (the driver fixes it with json_object_seed). */
#define HAVE_STDINT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_UNISTD_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_FCNTL_H 1
#define HAVE_STRTOLL 1
#define INITIAL_HASHTABLE_ORDER 3
