// Planted violation: transport must never see echem.
#pragma once
#include "cathodelab/core/error.hpp"
#include "cathodelab/echem/p2d.hpp"
