// cxkit::feedback text pipeline: normalise, tokenise, guess the language, near-duplicate groups,
// retrieval. Strings in, lists out; the GIL is released around the batch operations.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/feedback/duplicates.hpp"
#include "cxkit/feedback/language.hpp"
#include "cxkit/feedback/normalize.hpp"
#include "cxkit/feedback/text_index.hpp"
#include "cxkit/feedback/tokenize.hpp"
#include "py_progress.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {
namespace fb = cxkit::feedback;

fb::Language language_of(const std::optional<std::string>& code) {
  return code ? fb::language_from_code(*code) : fb::Language::unknown;
}
}  // namespace

void register_feedback(py::module_& m) {
  m.def("normalize_text", [](const std::string& text) {
    const auto r = fb::normalize_text(text);
    return py::make_tuple(r.text, r.invalid_utf8);
  });
  m.def(
      "tokenize",
      [](const std::string& text, std::optional<std::string> language, bool remove_stop_words, bool stem) {
        fb::TokenizeOptions o;
        o.remove_stop_words = remove_stop_words;
        o.stem = stem;
        return fb::tokenize(text, language_of(language), o);
      },
      py::arg("text"), py::arg("language"), py::arg("remove_stop_words"), py::arg("stem"));
  m.def("guess_languages", [](const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    out.reserve(texts.size());
    {
      py::gil_scoped_release release;
      for (const auto& t : texts) out.emplace_back(fb::language_code(fb::guess_language(t)));
    }
    return out;
  });
  m.def(
      "find_duplicates",
      [](const std::vector<std::string>& texts, double threshold, std::size_t num_perm, std::size_t shingle_size,
         std::optional<std::string> language, bool remove_stop_words, bool stem, double fp_weight, double fn_weight,
         std::size_t max_bucket_size, py::object progress) {
        fb::DuplicateOptions o;
        o.num_perm = num_perm;
        o.shingle_size = shingle_size;
        o.language = language_of(language);
        o.tokenize.remove_stop_words = remove_stop_words;
        o.tokenize.stem = stem;
        o.fp_weight = fp_weight;
        o.fn_weight = fn_weight;
        o.max_bucket_size = max_bucket_size;
        PyProgress py_progress{std::move(progress), {}};
        const fb::DuplicateGroups g = py_progress.run([&](cxkit::Progress p) {
          o.progress = std::move(p);
          return fb::find_duplicates(texts, threshold, o);
        });
        return py::make_tuple(g.group, g.groups, g.candidate_pairs, g.verified_pairs, g.oversized_buckets,
                              g.skipped_pairs);
      },
      py::arg("texts"), py::arg("threshold"), py::arg("num_perm"), py::arg("shingle_size"), py::arg("language"),
      py::arg("remove_stop_words") = true, py::arg("stem") = true, py::arg("fp_weight") = 0.5,
      py::arg("fn_weight") = 0.5, py::arg("max_bucket_size") = fb::DuplicateOptions{}.max_bucket_size,
      py::arg("progress") = py::none());
  py::class_<fb::TextIndex>(m, "TextIndex", "TF-IDF cosine retrieval index (C++ core).")
      .def(py::init([](const std::vector<std::string>& texts, std::size_t max_vocabulary, std::size_t max_ngram_features,
                       std::size_t max_counted_terms, py::object progress) {
             fb::TextIndexOptions o;
             o.max_vocabulary = max_vocabulary;
             o.max_ngram_features = max_ngram_features;
             o.max_counted_terms = max_counted_terms;
             PyProgress py_progress{std::move(progress), {}};
             return py_progress.run([&](cxkit::Progress p) {
               o.progress = std::move(p);
               return std::make_unique<fb::TextIndex>(texts, std::move(o));
             });
           }),
           py::arg("texts"), py::arg("max_vocabulary") = fb::TextIndexOptions{}.max_vocabulary,
           py::arg("max_ngram_features") = fb::TextIndexOptions{}.max_ngram_features,
           py::arg("max_counted_terms") = fb::TextIndexOptions{}.max_counted_terms, py::arg("progress") = py::none())
      .def_property_readonly("pruning",
                             [](const fb::TextIndex& index) {
                               const auto& p = index.pruning();
                               return py::make_tuple(p.words, p.ngrams, p.documents, p.uncounted);
                             })
      .def_property_readonly("vocabulary_sizes",
                             [](const fb::TextIndex& index) {
                               return py::make_tuple(index.vectorizer().terms().size(),
                                                     index.char_vectorizer().terms().size());
                             })
      .def(
          "similar",
          [](const fb::TextIndex& index, const std::string& query, std::size_t k) {
            std::vector<std::pair<std::size_t, double>> out;
            for (const auto& h : index.similar(query, k)) out.emplace_back(h.index, h.score);
            return out;
          },
          py::call_guard<py::gil_scoped_release>());
}

}  // namespace cxkit_bind
