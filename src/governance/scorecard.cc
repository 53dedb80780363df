#include "governance/scorecard.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace tessera::governance {
namespace {

double Weight(model::PolicySeverity s) {
    switch (s) {
        case model::PolicySeverity::kError: return 3;
        case model::PolicySeverity::kWarning: return 2;
        case model::PolicySeverity::kInfo: return 1;
    }
    return 1;
}

double Round1(double v) { return std::round(v * 10) / 10; }

struct Tally {
    double passed = 0;
    double total = 0;
    void Add(double w, bool ok) {
        total += w;
        if (ok) passed += w;
    }
    double Score() const { return total > 0 ? 100.0 * passed / total : 100.0; }
};

}  // namespace

Scorecard ComputeScorecard(const MeshState& mesh, const CheckReport& report, int64_t now_ms) {
    Scorecard card;
    std::map<std::string, int64_t> overdue;
    for (const auto& issue : mesh.issues) {
        if (issue.state != "resolved" && issue.due_at_ms > 0 && issue.due_at_ms < now_ms) ++overdue[issue.product];
    }
    std::map<std::string, std::vector<const Score*>> by_domain;
    // Each product's violations per policy, indexed once: a mesh of 100,000 products has millions
    // of violations, which a scan per product would visit 100,000 times.
    struct Verdict {
        int64_t failed = 0;
        bool waived = false;
    };
    std::unordered_map<std::string, std::map<size_t, Verdict>> verdicts;
    for (size_t i = 0; i < report.outcomes.size(); ++i) {
        for (const auto& v : report.outcomes[i].violations) {
            Verdict& verdict = verdicts[v.product][i];
            if (v.waiver_id) verdict.waived = true;
            else ++verdict.failed;
        }
    }
    const std::map<size_t, Verdict> none;
    card.products.reserve(mesh.products.size());
    for (const auto& p : mesh.products) {
        const std::string name = p.FullName();
        Tally all;
        std::map<std::string, Tally> props;
        Score s;
        s.scope = "product";
        s.name = name;
        auto found = verdicts.find(name);
        const auto& mine = found == verdicts.end() ? none : found->second;
        for (size_t i = 0; i < report.outcomes.size(); ++i) {
            const auto& o = report.outcomes[i];
            const auto& policy = o.source.policy;
            if (o.result == PolicyOutcome::Result::kError || policy.state == model::PolicyState::kProposed) continue;
            if (!policy.domain.empty() && policy.domain != p.domain) continue;
            auto verdict = mine.find(i);
            bool failed = verdict != mine.end() && verdict->second.failed > 0;
            bool waived = verdict != mine.end() && verdict->second.waived;
            if (failed) s.violations += verdict->second.failed;
            if (waived && !failed) continue;
            double w = Weight(policy.severity);
            all.Add(w, !failed);
            for (const auto& prop : policy.properties) props[prop].Add(w, !failed);
        }
        s.overdue_issues = overdue.count(name) ? overdue[name] : 0;
        s.score = Round1(std::max(0.0, all.Score() - 5.0 * static_cast<double>(s.overdue_issues)));
        for (const auto& [prop, t] : props) s.properties[prop] = Round1(t.Score());
        card.products.push_back(std::move(s));
    }
    std::sort(card.products.begin(), card.products.end(), [](const Score& a, const Score& b) { return a.name < b.name; });
    for (const auto& s : card.products) by_domain[s.name.substr(0, s.name.find('.'))].push_back(&s);
    std::set<std::string> domain_names;
    for (const auto& d : mesh.domains) domain_names.insert(d.name);
    for (const auto& [d, _] : by_domain) domain_names.insert(d);
    for (const auto& d : domain_names) {
        Score s;
        s.scope = "domain";
        s.name = d;
        const auto& members = by_domain[d];
        s.products = static_cast<int64_t>(members.size());
        if (!members.empty()) {
            double sum = 0;
            std::map<std::string, std::pair<double, int>> props;
            for (const Score* m : members) {
                sum += m->score;
                s.violations += m->violations;
                s.overdue_issues += m->overdue_issues;
                for (const auto& [prop, v] : m->properties) {
                    props[prop].first += v;
                    props[prop].second += 1;
                }
            }
            s.score = Round1(sum / static_cast<double>(members.size()));
            for (const auto& [prop, acc] : props) s.properties[prop] = Round1(acc.first / acc.second);
        }
        card.domains.push_back(std::move(s));
    }
    return card;
}

Score MeshScore(const std::vector<Score>& domains) {
    Score mesh;
    mesh.scope = "mesh";
    double sum = 0;
    std::map<std::string, std::pair<double, int64_t>> props;
    for (const auto& d : domains) {
        mesh.products += d.products;
        mesh.violations += d.violations;
        mesh.overdue_issues += d.overdue_issues;
        sum += d.score * static_cast<double>(d.products);
        for (const auto& [prop, v] : d.properties) {
            props[prop].first += v * static_cast<double>(d.products);
            props[prop].second += d.products;
        }
    }
    mesh.score = mesh.products > 0 ? Round1(sum / static_cast<double>(mesh.products)) : 100;
    for (const auto& [prop, acc] : props) {
        if (acc.second > 0) mesh.properties[prop] = Round1(acc.first / static_cast<double>(acc.second));
    }
    return mesh;
}

std::vector<ProductPolicyResult> ProductPolicies(const CheckReport& report, const std::string& product) {
    std::string domain = product.substr(0, product.find('.'));
    std::vector<ProductPolicyResult> out;
    for (const auto& o : report.outcomes) {
        const auto& policy = o.source.policy;
        if (policy.state == model::PolicyState::kProposed) continue;
        if (!policy.domain.empty() && policy.domain != domain) continue;
        ProductPolicyResult r;
        r.outcome = &o;
        r.passed = o.result != PolicyOutcome::Result::kError;
        for (const auto& v : o.violations) {
            if (v.product != product) continue;
            r.violations.push_back(&v);
            if (v.waiver_id) r.waived = true;
            else r.passed = false;
        }
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const ProductPolicyResult& a, const ProductPolicyResult& b) {
        return a.outcome->source.policy.name < b.outcome->source.policy.name;
    });
    return out;
}

std::vector<store::ScoreRecord> ToRecords(const Scorecard& card) {
    std::vector<store::ScoreRecord> out;
    for (const auto* list : {&card.products, &card.domains}) {
        for (const auto& s : *list) {
            nlohmann::json props = nlohmann::json::object();
            for (const auto& [k, v] : s.properties) props[k] = v;
            if (s.scope == "domain") props["_products"] = s.products;
            out.push_back({0, 0, s.scope, s.name, s.score, props.dump(), s.violations, s.overdue_issues});
        }
    }
    return out;
}

Score FromRecord(const store::ScoreRecord& r) {
    Score s;
    s.scope = r.scope;
    s.name = r.name;
    s.score = r.score;
    s.violations = r.violations;
    s.overdue_issues = r.overdue_issues;
    auto props = nlohmann::json::parse(r.properties, nullptr, false);
    if (props.is_object()) {
        for (const auto& [k, v] : props.items()) {
            if (k == "_products") s.products = v.get<int64_t>();
            else if (v.is_number()) s.properties[k] = v.get<double>();
        }
    }
    return s;
}

}  // namespace tessera::governance
