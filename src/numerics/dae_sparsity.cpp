// Sparsity patterns and column colouring for DaeSystem (see dae_system.hpp).
#include "cathodelab/numerics/dae_system.hpp"

#include "cathodelab/core/error.hpp"

#include <algorithm>

namespace cathodelab::numerics {

SparsityPattern make_sparsity_pattern(
    std::size_t n, std::span<const std::pair<std::size_t, std::size_t>> entries) {
  std::vector<std::vector<std::size_t>> rows_of_column(n);
  for (std::size_t j = 0; j < n; ++j) rows_of_column[j].push_back(j);
  for (const auto& [row, column] : entries) {
    CATHODELAB_REQUIRE(row < n && column < n, "sparsity entry outside the matrix");
    rows_of_column[column].push_back(row);
  }
  SparsityPattern pattern;
  pattern.n = n;
  pattern.column_start.reserve(n + 1);
  pattern.column_start.push_back(0);
  for (auto& rows : rows_of_column) {
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    pattern.row_index.insert(pattern.row_index.end(), rows.begin(), rows.end());
    pattern.column_start.push_back(pattern.row_index.size());
  }
  return pattern;
}

std::vector<int> colour_columns(const SparsityPattern& pattern) {
  const std::size_t n = pattern.n;
  // Columns touching each row, to find the columns that conflict with a given one.
  std::vector<std::vector<std::size_t>> columns_of_row(n);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t k = pattern.column_start[j]; k < pattern.column_start[j + 1]; ++k) {
      columns_of_row[pattern.row_index[k]].push_back(j);
    }
  }
  std::vector<int> colour(n, -1);
  std::vector<std::size_t> used_by(n + 1, n);  // used_by[c] == j: colour c is taken for column j
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t k = pattern.column_start[j]; k < pattern.column_start[j + 1]; ++k) {
      for (std::size_t other : columns_of_row[pattern.row_index[k]]) {
        if (colour[other] >= 0) used_by[static_cast<std::size_t>(colour[other])] = j;
      }
    }
    int c = 0;
    while (used_by[static_cast<std::size_t>(c)] == j) ++c;
    colour[j] = c;
  }
  return colour;
}

}  // namespace cathodelab::numerics
