#include <node_api.h>
// native hashing
