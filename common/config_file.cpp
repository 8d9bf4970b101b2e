#include "common/config_file.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>
#include <vector>

#include "common/config.h"

namespace bookstore {
namespace {

bool EnvSet(const std::string& name) {
  const char* v = name.empty() ? nullptr : std::getenv(name.c_str());
  return v != nullptr && *v != '\0';  // CLI11 ignores empty variables too
}

std::string Trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r"));
  s.erase(s.find_last_not_of(" \t\r") + 1);
  return s;
}

std::string Unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

// Edit distance, for "did you mean"; names are short.
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Where each key and section header is in the file (1-based lines): a
// light scan beside CLI11's parser, only to name lines in messages.
struct Lines {
  std::map<std::string, int> keys;      // "section.key" or "key"
  std::map<std::string, int> sections;  // "section"

  explicit Lines(const std::string& text) {
    std::istringstream in(text);
    std::string line, section;
    for (int n = 1; std::getline(in, line); ++n) {
      line = Trim(line);
      if (line.empty() || line[0] == '#' || line[0] == ';') continue;
      if (line.front() == '[' && line.back() == ']') {
        section = Trim(line.substr(1, line.size() - 2));
        if (section.size() > 1 && section.front() == '[') section = section.substr(1);
        if (!section.empty() && section.back() == ']') section.pop_back();
        sections.emplace(section, n);
        continue;
      }
      const size_t eq = line.find('=');
      const std::string key = Unquote(Trim(line.substr(0, eq)));
      keys.emplace(section.empty() ? key : section + "." + key, n);
    }
  }
};

class StrictConfig : public CLI::ConfigTOML {
 public:
  explicit StrictConfig(const CLI::App* root) : root_(root) {}

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    // The program's name is argv[0] by now: "bookstore-book" -> "book".
    std::string name = root_->get_name();
    name = name.substr(name.find_last_of('/') + 1);
    service_ = name.rfind("bookstore-", 0) == 0 ? name.substr(10) : name;
    std::ostringstream text;
    text << input.rdbuf();
    file_ = FileName();
    const Lines lines(text.str());
    std::istringstream again(text.str());
    std::vector<CLI::ConfigItem> items = CLI::ConfigTOML::from_config(again);
    std::vector<CLI::ConfigItem> out;
    std::map<const CLI::Option*, size_t> index;  // into out
    origins_.clear();
    for (CLI::ConfigItem& item : items) {
      if (item.name == "++" || item.name == "--") continue;  // section markers
      std::vector<std::string> path = item.parents;
      const std::string where = Where(lines, item);
      // The service's own section beats the top level (CLI11 would keep the first).
      const bool own_section = !path.empty() && path.front() == service_;
      if (own_section) path.erase(path.begin());
      if (!path.empty() && (path.front() == "auth" || path.front() == "book")) continue;
      const CLI::App* app = root_;
      for (const std::string& parent : path) {
        const CLI::App* sub = Subcommand(app, parent);
        if (sub == nullptr) {
          const auto it = lines.sections.find(parent);
          throw ConfigError(file_ + ":" +
                            (it == lines.sections.end() ? "?" : std::to_string(it->second)) +
                            ": unknown section [" + parent + "] (sections: [auth], [book]" +
                            SubcommandList() + ")");
        }
        app = sub;
      }
      std::vector<std::string> found_path = path;
      const CLI::Option* opt = Find(app, item.name, path.empty() ? &found_path : nullptr);
      if (opt == nullptr || item.name == "config") {
        throw ConfigError(where + ": unknown setting '" + item.name + "'" + Suggestion(item.name) +
                          " (keys are the long options without dashes: see --help)");
      }
      if (EnvSet(opt->get_envname())) continue;  // the environment wins
      item.parents = found_path;
      const auto [at, first] = index.emplace(opt, out.size());
      if (!first && !own_section) {
        throw ConfigError(where + ": '" + item.name + "' is set twice");
      }
      origins_[opt->get_envname()] = where + ": " + item.name;
      if (first) {
        out.push_back(std::move(item));
      } else {
        out[at->second] = std::move(item);
      }
    }
    return out;
  }

  std::string Locate(const std::string& message) const {
    for (const auto& [env, where] : origins_) {
      if (env.empty()) continue;
      const std::string head = "invalid " + env;
      if (message.rfind(head + " ", 0) == 0 || message.rfind(head + ":", 0) == 0) {
        return where + ": " + message;
      }
    }
    return message;
  }

 private:
  std::string FileName() const {
    const CLI::Option* opt = root_->get_config_ptr();
    if (opt == nullptr || opt->count() != 1) return "config file";
    return opt->results().back();
  }

  std::string Where(const Lines& lines, const CLI::ConfigItem& item) const {
    std::string key;
    for (const auto& p : item.parents) key += p + ".";
    key += item.name;
    const auto it = lines.keys.find(key);
    return file_ + ":" + (it == lines.keys.end() ? "?" : std::to_string(it->second));
  }

  static const CLI::App* Subcommand(const CLI::App* app, const std::string& name) {
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->get_name() == name) return sub;
    }
    return nullptr;
  }

  // The option `name` of `app`; with `path`, also of its subcommands (depth
  // first), whose names are then appended to *path.
  static const CLI::Option* Find(const CLI::App* app, const std::string& name,
                                 std::vector<std::string>* path) {
    for (const std::string& n : {"--" + name, name}) {
      if (const CLI::Option* opt = app->get_option_no_throw(n)) return opt;
    }
    if (path == nullptr) return nullptr;
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
      path->push_back(sub->get_name());
      if (const CLI::Option* opt = Find(sub, name, path)) return opt;
      path->pop_back();
    }
    return nullptr;
  }

  void Names(const CLI::App* app, std::vector<std::string>& out) const {
    for (const CLI::Option* opt : app->get_options()) {
      const std::string& lname = opt->get_single_name();
      if (!opt->get_lnames().empty() && opt->get_configurable() && lname != "config") {
        out.push_back(lname);
      }
    }
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
      Names(sub, out);
    }
  }

  std::string Suggestion(const std::string& name) const {
    std::vector<std::string> names;
    Names(root_, names);
    std::string best;
    size_t best_distance = 3;  // at most two edits away
    for (const std::string& n : names) {
      const size_t d = Distance(name, n);
      if (d < best_distance) best = n, best_distance = d;
    }
    return best.empty() ? "" : "; did you mean '" + best + "'?";
  }

  std::string SubcommandList() const {
    std::string out;
    for (const CLI::App* sub : root_->get_subcommands([](const CLI::App*) { return true; })) {
      out += ", [" + sub->get_name() + "]";
    }
    return out;
  }

  const CLI::App* root_;
  mutable std::string service_;  // "auth" or "book"
  mutable std::string file_;
  mutable std::map<std::string, std::string> origins_;  // env name -> "FILE:LINE: key"
};

}  // namespace

std::shared_ptr<CLI::Config> StrictConfigReader(const CLI::App* root) {
  return std::make_shared<StrictConfig>(root);
}

std::string LocateInConfigFile(const CLI::App& root, const std::string& message) {
  const auto reader = std::dynamic_pointer_cast<const StrictConfig>(root.get_config_formatter());
  return reader ? reader->Locate(message) : message;
}

}  // namespace bookstore
