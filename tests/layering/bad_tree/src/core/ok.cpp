#include "cathodelab/core/error.hpp"
