// The text form of a comparison: per step one column per policy, then where the policies differ,
// then each policy's verdict. Every line fits the width asked for (100 by default): the first 12
// columns hold the row's tag, the rest is shared by the policies' columns, two spaces apart, and a
// cell that does not fit its column wraps (wrap_text): at spaces, a longer word cut at the column's
// width and continued on the next line, so nothing is dropped.

#include "compare.hpp"

#include "step_subject.hpp"

#include <algorithm>
#include <utility>

namespace calltrack::cli {
namespace {

constexpr std::size_t tag_width = 12;  ///< "  expected  "
constexpr std::size_t column_gap = 2;  ///< between two policies' columns
constexpr std::size_t narrowest_column = 12;

/// Code points in UTF-8 text, as a terminal counts columns for the scripts scenarios are written
/// in.
std::size_t display_length(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
    }
    return n;
}

/// The byte length of the first `count` code points of `text`.
std::size_t prefix_bytes(const std::string& text, std::size_t count) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
            if (seen == count) return i;
            ++seen;
        }
    }
    return text.size();
}

std::string joined(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

/// `text` wrapped to `width`, its first line after `first` and the others after `next`, printed;
/// the text's lines are as wide as the wider prefix leaves room for.
void print_wrapped(std::ostream& out, const std::string& first, const std::string& next,
                   const std::string& text, std::size_t width) {
    const std::size_t indent = std::max(display_length(first), display_length(next));
    const std::size_t room = width > indent + narrowest_column ? width - indent : narrowest_column;
    const auto lines = wrap_text(text, room);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out << (i == 0 ? first : next) << lines[i] << '\n';
    }
    if (lines.empty()) out << first << '\n';
}

/// A cell's text: its paragraphs, each wrapped on its own lines.
using CellText = std::vector<std::string>;

std::vector<std::string> cell_lines(const CellText& paragraphs, std::size_t width) {
    std::vector<std::string> out;
    for (const auto& p : paragraphs) {
        const auto lines = wrap_text(p, width);
        out.insert(out.end(), lines.begin(), lines.end());
    }
    return out;
}

std::string padded(const std::string& text, std::size_t width) {
    const std::size_t length = display_length(text);
    return length >= width ? text : text + std::string(width - length, ' ');
}

/// One row: the tag, then each column's cell, lines aligned; trailing spaces dropped.
void print_row(std::ostream& out, const std::string& tag, const std::vector<CellText>& cells,
               std::size_t column) {
    std::vector<std::vector<std::string>> lines;
    std::size_t height = 0;
    for (const auto& c : cells) {
        lines.push_back(cell_lines(c, column));
        height = std::max(height, lines.back().size());
    }
    for (std::size_t row = 0; row < height; ++row) {
        std::string line = padded(row == 0 ? "  " + tag : std::string(), tag_width);
        for (std::size_t k = 0; k < lines.size(); ++k) {
            const std::string text = row < lines[k].size() ? lines[k][row] : std::string();
            line += k + 1 < lines.size() ? padded(text, column + column_gap) : text;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
}

std::string result_said(const ComparedCell& cell) {
    switch (cell.result) {
        case ComparedCell::Result::ok:
            return "ok";
        case ComparedCell::Result::refused:
            return "refused";
        case ComparedCell::Result::not_executed:
            return "allowed, not executed (a refusal was expected)";
        case ComparedCell::Result::not_run:
            return "not run";
    }
    return "not run";
}

/// A list in a cell: its names, or "-" for none where the run reached the step.
CellText list_cell(const ComparedCell& cell, const std::vector<std::string>& names) {
    if (cell.step == nullptr) return {};
    return {names.empty() ? std::string("-") : joined(names)};
}

CellText charges_cell(const ComparedCell& cell) {
    if (cell.step == nullptr) return {};
    if (cell.charges.empty()) return {"-"};
    CellText out;
    for (const auto& c : cell.charges) out.push_back(to_string(c));
    return out;
}

std::string step_heading(const Step& step) {
    std::string out = "step " + std::to_string(step.number) + "  " + format_time(step.at) + "  ";
    if (step.kind == Step::Kind::advance) return out + "advance";
    out += step.actor + ": " + std::string(command_name(step.command));
    const std::string target = target_of(step.command);
    return target.empty() ? out : out + " " + target;
}

/// "ctm, callrail: ok; smrtphone: refused invalid_role": the policies grouped by what they said,
/// in the order each value first appears.
std::string grouped(const std::vector<std::string>& labels, const std::vector<std::string>& said) {
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (std::size_t i = 0; i < said.size(); ++i) {
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g.first == said[i]; });
        if (it == groups.end()) {
            groups.emplace_back(said[i], std::vector<std::string>{});
            it = std::prev(groups.end());
        }
        it->second.push_back(labels[i]);
    }
    std::string out;
    for (const auto& [value, names] : groups) {
        if (!out.empty()) out += "; ";
        out += joined(names) + ": " + value;
    }
    return out;
}

void print_summary_of_step(std::ostream& out, const Comparison& comparison, std::size_t step,
                           const std::vector<std::string>& differs, std::size_t width) {
    // Only the runs that reached the step, as differences() compares them.
    std::vector<ComparedCell> cells;
    std::vector<std::string> reached_labels;
    for (std::size_t k = 0; k < comparison.runs.size(); ++k) {
        auto cell = cell_of(comparison, k, step);
        if (cell.step == nullptr) continue;
        cells.push_back(std::move(cell));
        reached_labels.push_back(comparison.runs[k].label);
    }
    const Step& s = comparison.scenario.steps[step];
    std::string heading = "step " + std::to_string(s.number) + "  ";
    heading += s.kind == Step::Kind::advance
                   ? std::string("advance")
                   : std::string(command_name(s.command)) + " " + target_of(s.command);
    print_wrapped(out, "  ", "    ", heading, width);
    const auto line = [&](const std::string& tag, const std::vector<std::string>& labels,
                          const std::vector<std::string>& said) {
        print_wrapped(out, padded("    " + tag, 14), std::string(14, ' '), grouped(labels, said),
                      width);
    };
    const bool result = std::find(differs.begin(), differs.end(), "result") != differs.end();
    const bool reasons = std::find(differs.begin(), differs.end(), "reasons") != differs.end();
    if (result || reasons) {
        // One line for both: "refused operation_not_offered" says the outcome and its codes.
        std::vector<std::string> said;
        for (const auto& c : cells) {
            std::string text = c.result == ComparedCell::Result::not_executed
                                   ? std::string("allowed, not executed")
                                   : result_said(c);
            if (!c.reasons.empty()) text += " (" + joined(c.reasons) + ")";
            said.push_back(text);
        }
        line("result", reached_labels, said);
    }
    const auto names_line = [&](const char* aspect, auto&& names_of) {
        if (std::find(differs.begin(), differs.end(), aspect) == differs.end()) return;
        std::vector<std::string> said;
        for (const auto& c : cells) {
            const auto names = names_of(c);
            said.push_back(names.empty() ? std::string("none") : joined(names));
        }
        line(aspect, reached_labels, said);
    };
    names_line("deadlines", [](const ComparedCell& c) { return c.deadlines; });
    names_line("events", [](const ComparedCell& c) { return c.events; });
    names_line("effects", [](const ComparedCell& c) { return c.effects; });
    if (std::find(differs.begin(), differs.end(), "charges") != differs.end()) {
        std::vector<std::string> said;
        for (const auto& c : cells) {
            std::vector<std::string> owners;
            for (const auto& x : c.charges) owners.push_back(to_string(x));
            said.push_back(owners.empty() ? std::string("none") : joined(owners, "; "));
        }
        // Owners are separated by "; " within one policy's value, so groups use " | " here.
        std::vector<std::pair<std::string, std::vector<std::string>>> groups;
        for (std::size_t i = 0; i < said.size(); ++i) {
            auto it = std::find_if(groups.begin(), groups.end(),
                                   [&](const auto& g) { return g.first == said[i]; });
            if (it == groups.end()) {
                groups.emplace_back(said[i], std::vector<std::string>{});
                it = std::prev(groups.end());
            }
            it->second.push_back(reached_labels[i]);
        }
        std::string text;
        for (const auto& [value, names] : groups) {
            if (!text.empty()) text += " | ";
            text += joined(names) + ": " + value;
        }
        print_wrapped(out, padded("    charges", 14), std::string(14, ' '), text, width);
    }
}

/// How far a run got, and why it stopped if it did: "" for a run that reached every step.
std::string stopped(const Comparison& comparison, std::size_t run) {
    std::size_t reached = 0;
    for (std::size_t i = 0; i < comparison.scenario.steps.size(); ++i) {
        if (cell_of(comparison, run, i).step != nullptr) ++reached;
    }
    if (reached == comparison.scenario.steps.size()) return {};
    const auto& f = comparison.runs[run].report.failure;
    std::string out = "stopped";
    if (f) {
        if (!f->location.empty()) out += " at " + f->location;
        if (!f->field.empty()) out += " (" + f->field + ")";
        out += ": " + f->message;
    }
    return out + "; " + std::to_string(reached) + " of "
           + std::to_string(comparison.scenario.steps.size()) + " steps run";
}

}  // namespace

std::vector<std::string> wrap_text(const std::string& text, std::size_t width) {
    width = std::max<std::size_t>(width, 1);
    std::vector<std::string> lines;
    std::string line;
    std::size_t at = 0;
    while (at < text.size()) {
        // The spaces before the next word are kept between words on one line, dropped at a break.
        const std::size_t begin = text.find_first_not_of(' ', at);
        if (begin == std::string::npos) break;
        std::size_t end = text.find(' ', begin);
        if (end == std::string::npos) end = text.size();
        const std::string gap = text.substr(at, begin - at);
        std::string word = text.substr(begin, end - begin);
        at = end;
        if (!line.empty()
            && display_length(line) + display_length(gap) + display_length(word) <= width) {
            line += gap + word;
            continue;
        }
        if (!line.empty()) lines.push_back(std::move(line));
        line.clear();
        while (display_length(word) > width) {
            const std::size_t cut = prefix_bytes(word, width);
            lines.push_back(word.substr(0, cut));
            word = word.substr(cut);
        }
        line = std::move(word);
    }
    if (!line.empty()) lines.push_back(std::move(line));
    return lines;
}

void print_comparison(std::ostream& out, const Comparison& comparison, std::size_t width) {
    const Scenario& s = comparison.scenario;
    const std::size_t n = std::max<std::size_t>(comparison.runs.size(), 1);
    const std::size_t shared =
        width > tag_width + column_gap * (n - 1) ? width - tag_width - column_gap * (n - 1) : 0;
    const std::size_t column = std::max(narrowest_column, shared / n);
    std::vector<std::string> labels;
    for (const auto& run : comparison.runs) labels.push_back(run.label);

    std::string title = "scenario " + comparison.source;
    if (!s.title.empty()) title += ": " + s.title;
    print_wrapped(out, "", "  ", title, width);
    print_wrapped(out, "", "  ",
                  "policies " + joined(labels) + ", each in its own in-memory store; start "
                      + format_time(s.start),
                  width);

    // The setup, the same commands under every policy: said once, with any policy it failed under.
    std::string setup = std::to_string(s.setup.size())
                        + (s.setup.size() == 1 ? " entry" : " entries") + " as support: ";
    std::vector<std::string> failed;
    for (std::size_t k = 0; k < comparison.runs.size(); ++k) {
        const auto& report = comparison.runs[k].report;
        const bool in_setup = std::any_of(
            report.steps.begin(), report.steps.end(),
            [](const auto& r) { return r.kind == StepReport::Kind::setup && !r.unmet.empty(); });
        if (in_setup) failed.push_back(comparison.runs[k].label);
    }
    setup += failed.empty() ? "ok under every policy" : "FAILED under " + joined(failed);
    print_wrapped(out, "setup     ", std::string(tag_width, ' '), setup, width);

    for (std::size_t i = 0; i < s.steps.size(); ++i) {
        const Step& step = s.steps[i];
        out << '\n';
        print_wrapped(out, "", "  ", step_heading(step), width);
        if (!step.note.empty()) {
            print_wrapped(out, "  note      ", std::string(tag_width, ' '), step.note, width);
        }
        std::vector<ComparedCell> cells;
        for (std::size_t k = 0; k < comparison.runs.size(); ++k) {
            cells.push_back(cell_of(comparison, k, i));
        }
        const auto row = [&](const std::string& tag, auto&& text_of, bool always) {
            std::vector<CellText> texts;
            bool any = always;
            for (const auto& c : cells) {
                texts.push_back(text_of(c));
                any =
                    any
                    || (c.step != nullptr && !texts.back().empty() && texts.back().front() != "-");
            }
            if (any) print_row(out, tag, texts, column);
        };
        std::vector<CellText> headings;
        for (const auto& l : labels) headings.push_back({l});
        print_row(out, "", headings, column);
        row(
            "result", [](const ComparedCell& c) { return CellText{result_said(c)}; }, true);
        row(
            "reasons", [](const ComparedCell& c) { return list_cell(c, c.reasons); }, false);
        row(
            "deadlines", [](const ComparedCell& c) { return list_cell(c, c.deadlines); }, false);
        row(
            "events", [](const ComparedCell& c) { return list_cell(c, c.events); }, false);
        row(
            "effects", [](const ComparedCell& c) { return list_cell(c, c.effects); }, false);
        row(
            "charges", [](const ComparedCell& c) { return charges_cell(c); }, false);
        row(
            "expected",
            [](const ComparedCell& c) {
                if (c.step == nullptr) return CellText{};
                return CellText{c.step->unmet.empty() ? "met" : "NOT MET"};
            },
            true);
        for (std::size_t k = 0; k < cells.size(); ++k) {
            if (cells[k].step == nullptr || cells[k].step->unmet.empty()) continue;
            print_wrapped(out, "  NOT MET under " + labels[k] + ": ", "    ", cells[k].step->unmet,
                          width);
        }
    }

    out << '\n';
    std::vector<std::pair<std::size_t, std::vector<std::string>>> differing;
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
        auto d = differences(comparison, i);
        if (!d.empty()) differing.emplace_back(i, std::move(d));
    }
    std::vector<std::string> stopped_early;
    for (std::size_t k = 0; k < comparison.runs.size(); ++k) {
        if (!stopped(comparison, k).empty()) stopped_early.push_back(labels[k]);
    }
    // A run that stopped is left out of the comparison from there on, and said so.
    const std::string among = stopped_early.empty()
                                  ? std::string()
                                  : " (among the policies that reached each step; "
                                        + joined(stopped_early) + " stopped early, below)";
    std::size_t compared = 0;  // steps that two runs or more reached
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
        std::size_t reached = 0;
        for (std::size_t k = 0; k < comparison.runs.size(); ++k) {
            if (cell_of(comparison, k, i).step != nullptr) ++reached;
        }
        if (reached >= 2) ++compared;
    }
    if (compared == 0) {
        print_wrapped(out, "", "  ",
                      "nothing to compare: no step was reached by two policies; "
                          + joined(stopped_early) + " stopped early (below)",
                      width);
    } else if (differing.empty()) {
        print_wrapped(out, "", "  ", "the policies agree on every step" + among, width);
    } else {
        print_wrapped(out, "", "  ",
                      "where the policies differ: " + std::to_string(differing.size()) + " of "
                          + std::to_string(s.steps.size())
                          + (s.steps.size() == 1 ? " step" : " steps") + among,
                      width);
        for (const auto& [i, d] : differing) print_summary_of_step(out, comparison, i, d, width);
    }

    out << '\n';
    std::size_t label_width = 0;
    for (const auto& l : labels) label_width = std::max(label_width, display_length(l));
    for (std::size_t k = 0; k < comparison.runs.size(); ++k) {
        const auto& report = comparison.runs[k].report;
        std::vector<std::string> unmet;
        for (const auto& r : report.steps) {
            if (r.kind != StepReport::Kind::setup && !r.unmet.empty()) unmet.push_back(r.label);
        }
        std::string said;
        if (!unmet.empty()) said = "expectations not met at " + joined(unmet);
        const std::string stop = stopped(comparison, k);
        if (!stop.empty()) said += (said.empty() ? "" : "; ") + stop;
        if (said.empty()) said = report.ok() ? "every expectation met" : report.failure->message;
        print_wrapped(out, padded(labels[k], label_width + 2), std::string(label_width + 2, ' '),
                      said, width);
    }
    if (comparison.ok()) {
        out << "ok: " << s.steps.size() << (s.steps.size() == 1 ? " step" : " steps") << " under "
            << comparison.runs.size() << " policies, every expectation met\n";
    } else {
        out << "FAILED: not every expectation is met under every policy\n";
    }
}

}  // namespace calltrack::cli
