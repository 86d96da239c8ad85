// Bindings for feedback themes: detect_themes (texts or embeddings) and mergeable ThemeCounts.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/core/error.hpp"
#include "cxkit/feedback/theme_counts.hpp"
#include "cxkit/feedback/themes.hpp"
#include "cxkit/feedback/vectorize.hpp"
#include "py_progress.hpp"
#include "register.hpp"

#include <optional>

namespace cxkit_bind {
namespace {
namespace fb = cxkit::feedback;

py::dict to_python(const fb::ThemeResult& r) {
  py::list themes;
  for (const auto& t : r.themes)
    themes.append(py::make_tuple(t.id, t.label, t.terms, t.term_scores, t.items, t.representative, t.cohesion,
                                 std::string(fb::language_code(t.language))));
  std::vector<std::string> langs;
  langs.reserve(r.languages.size());
  for (auto l : r.languages) langs.emplace_back(fb::language_code(l));
  py::dict d;
  d["assignment"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(r.assignment.size()), r.assignment.data());
  d["similarity"] = py::array_t<float>(static_cast<py::ssize_t>(r.similarity.size()), r.similarity.data());
  d["languages"] = langs;
  d["themes"] = themes;
  d["rounds"] = r.rounds;
  d["vocabulary"] = r.vocabulary;
  d["pruned_terms"] = r.pruned_terms;
  d["emptied_items"] = r.emptied_items;
  return d;
}

}  // namespace

void register_feedback_themes(py::module_& m) {
  m.def(
      "tfidf_csr",
      [](const std::vector<std::string>& texts, std::optional<std::string> language, unsigned threads,
         py::object progress) {
        PyProgress py_progress{std::move(progress), {}};
        fb::TfidfResult v = py_progress.run([&](cxkit::Progress p) {
          return fb::vectorize(texts, {}, language ? fb::language_from_code(*language) : fb::Language::unknown, {},
                               threads, p);
        });
        fb::SparseMatrix& x = v.rows;
        x.makeCompressed();
        const auto rows = x.rows(), nnz = x.nonZeros();
        py::array_t<int> indptr(rows + 1), indices(nnz);
        py::array_t<float> data(nnz);
        std::copy(x.outerIndexPtr(), x.outerIndexPtr() + rows + 1, indptr.mutable_data());
        std::copy(x.innerIndexPtr(), x.innerIndexPtr() + nnz, indices.mutable_data());
        std::copy(x.valuePtr(), x.valuePtr() + nnz, data.mutable_data());
        return py::make_tuple(indptr, indices, data, v.terms);
      },
      py::arg("texts"), py::arg("language"), py::arg("threads"), py::arg("progress") = py::none());
  m.def(
      "detect_themes",
      [](const std::vector<std::string>& texts, std::optional<py::array_t<float, py::array::c_style | py::array::forcecast>> emb,
         double link_threshold, double assign_threshold, double edge_floor, std::size_t neighbours, std::size_t min_size,
         std::size_t sample_size, std::size_t max_rounds, std::size_t min_df, double max_df, std::size_t label_terms,
         std::uint64_t seed, unsigned threads, std::optional<std::string> language, std::size_t max_vocabulary,
         py::object progress) {
        fb::ThemeOptions o;
        o.link_threshold = link_threshold;
        o.assign_threshold = assign_threshold;
        o.edge_floor = edge_floor;
        o.neighbours = neighbours;
        o.min_size = min_size;
        o.sample_size = sample_size;
        o.max_rounds = max_rounds;
        o.min_df = min_df;
        o.max_df = max_df;
        o.label_terms = label_terms;
        o.seed = seed;
        o.threads = threads;
        if (language) o.language = fb::language_from_code(*language);
        o.max_vocabulary = max_vocabulary;
        std::vector<float> data;
        std::size_t rows = 0, dims = 0;
        if (emb) {
          const auto& a = *emb;
          if (a.ndim() != 2) throw cxkit::InputError("embeddings must be a 2-D float matrix");
          data.assign(a.data(), a.data() + a.size());
          rows = static_cast<std::size_t>(a.shape(0)), dims = static_cast<std::size_t>(a.shape(1));
        }
        PyProgress py_progress{std::move(progress), {}};
        const fb::ThemeResult r = py_progress.run([&](cxkit::Progress p) {
          o.progress = std::move(p);
          return emb ? fb::detect_themes(data, rows, dims, texts, o) : fb::detect_themes(texts, o);
        });
        return to_python(r);
      },
      py::arg("texts"), py::arg("embeddings"), py::arg("link_threshold"), py::arg("assign_threshold"),
      py::arg("edge_floor"), py::arg("neighbours"), py::arg("min_size"), py::arg("sample_size"), py::arg("max_rounds"),
      py::arg("min_df"), py::arg("max_df"), py::arg("label_terms"), py::arg("seed"), py::arg("threads"),
      py::arg("language"), py::arg("max_vocabulary") = fb::ThemeOptions{}.max_vocabulary,
      py::arg("progress") = py::none());

  py::class_<fb::ThemeCounts>(m, "ThemeCounts", "Mergeable per-theme, per-bucket counts (C++ core).")
      .def(py::init([](std::int64_t width_us, std::int64_t origin_us) {
             return fb::ThemeCounts(cxkit::Duration{width_us}, cxkit::from_micros(origin_us));
           }),
           py::arg("width_us"), py::arg("origin_us"))
      .def("add_many",
           [](fb::ThemeCounts& c, py::array_t<std::int64_t, py::array::forcecast> theme,
              py::array_t<std::int64_t, py::array::forcecast> time_us, py::array_t<std::uint64_t, py::array::forcecast> customer,
              py::array_t<double, py::array::forcecast> weight) {
             const auto n = static_cast<std::size_t>(theme.size());
             if (static_cast<std::size_t>(time_us.size()) != n || static_cast<std::size_t>(customer.size()) != n ||
                 static_cast<std::size_t>(weight.size()) != n)
               throw cxkit::InputError("ThemeCounts.add_many: arrays differ in length");
             auto th = theme.unchecked<1>();
             auto tm = time_us.unchecked<1>();
             auto cu = customer.unchecked<1>();
             auto w = weight.unchecked<1>();
             py::gil_scoped_release release;
             for (std::size_t i = 0; i < n; ++i)
               c.add(th(static_cast<py::ssize_t>(i)), cxkit::from_micros(tm(static_cast<py::ssize_t>(i))),
                     cu(static_cast<py::ssize_t>(i)), w(static_cast<py::ssize_t>(i)));
           })
      .def("merge", &fb::ThemeCounts::merge)
      .def("__eq__", [](const fb::ThemeCounts& a, const fb::ThemeCounts& b) { return a == b; })
      .def_property_readonly("width_us", [](const fb::ThemeCounts& c) { return c.width().count(); })
      .def_property_readonly("origin_us", [](const fb::ThemeCounts& c) { return cxkit::to_micros(c.origin()); })
      .def("bucket_of", [](const fb::ThemeCounts& c, std::int64_t t) { return c.bucket_of(cxkit::from_micros(t)); })
      .def("cells",
           [](const fb::ThemeCounts& c) {
             py::list out;
             for (const auto& r : c.cells()) out.append(py::make_tuple(r.theme, r.bucket, r.items, r.customers, r.weight));
             return out;
           })
      .def("total",
           [](const fb::ThemeCounts& c, std::int64_t theme, std::int64_t first, std::int64_t last) {
             const auto r = c.total(theme, first, last);
             return py::make_tuple(r.items, r.customers, r.weight);
           })
      .def("customers", &fb::ThemeCounts::customers)
      .def("state",
           [](const fb::ThemeCounts& c) {
             py::list cells;
             for (const auto& [key, cell] : c.raw())
               cells.append(py::make_tuple(key.first, key.second, cell.items, cell.customers));
             return cells;
           })
      .def("load_state", [](fb::ThemeCounts& c, const py::list& cells) {
        // Rebuilds from state(): one add per customer, items restored exactly.
        for (const auto& h : cells) {
          const auto t = h.cast<py::tuple>();
          const auto theme = t[0].cast<std::int64_t>(), bucket = t[1].cast<std::int64_t>();
          const auto items = t[2].cast<std::uint64_t>();
          const auto customers = t[3].cast<std::vector<std::pair<std::uint64_t, double>>>();
          fb::ThemeCounts part(c.width(), c.origin());
          for (const auto& [key, w] : customers) part.add(theme, c.bucket_start(bucket), key, w);
          if (customers.size() > items) throw cxkit::InputError("ThemeCounts state: more customers than items");
          for (std::uint64_t k = customers.size(); k < items; ++k)
            part.add(theme, c.bucket_start(bucket), customers.empty() ? 0 : customers[0].first, 0.0);
          c.merge(part);
        }
      });
}

}  // namespace cxkit_bind
