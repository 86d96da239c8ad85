// The array types the churn models take and return.
//
// Everything numeric is Eigen, double precision. Inputs are taken as Eigen::Ref so that a
// VectorXd/MatrixXd, a block of one, or an Eigen::Map over someone else's memory (a NumPy
// array in the Python bindings) is used in place without a copy.
//
// Matrices are COLUMN-major (Eigen's default, NumPy's order="F"): the models' heavy work is
// X * beta, X^T * r and blocked Gram products X^T D X, which Eigen runs as GEMV/GEMM at full
// speed on column-major storage, and one feature is one contiguous column. A row-major
// (C-order) NumPy array is copied once by the binding layer.
#pragma once

#include <cstdint>

#include <Eigen/Core>

namespace cxkit::churn {

using Matrix = Eigen::MatrixXd;  ///< column-major, rows = observations, columns = features
using Vector = Eigen::VectorXd;
using MatrixRef = Eigen::Ref<const Eigen::MatrixXd>;
using VectorRef = Eigen::Ref<const Eigen::VectorXd>;
/// Any strided view of a matrix (column-major, row-major/C-order NumPy, a pandas block), read
/// in place: for inputs that are only read once or gathered (the Cox fit), never copied.
using StridedMatrixRef = Eigen::Ref<const Eigen::MatrixXd, 0, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;
/// Integer codes naming each row's stratum (Cox) - any values; equal codes = same stratum.
using Codes = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>;
using CodesRef = Eigen::Ref<const Codes>;

}  // namespace cxkit::churn
