#include "model/mesh.h"

namespace tessera::model {

std::string_view EntityKindName(EntityKind kind) {
    switch (kind) {
        case EntityKind::kDomain: return "Domain";
        case EntityKind::kTeam: return "Team";
        case EntityKind::kDataProduct: return "DataProduct";
        case EntityKind::kPolicy: return "Policy";
    }
    return "";
}

std::string_view PolicySeverityName(PolicySeverity s) {
    switch (s) {
        case PolicySeverity::kError: return "error";
        case PolicySeverity::kWarning: return "warning";
        case PolicySeverity::kInfo: return "info";
    }
    return "";
}

std::string_view PolicyStateName(PolicyState s) {
    switch (s) {
        case PolicyState::kProposed: return "proposed";
        case PolicyState::kWarn: return "warn";
        case PolicyState::kEnforce: return "enforce";
    }
    return "";
}

std::string_view ProductKindName(ProductKind kind) {
    switch (kind) {
        case ProductKind::kSourceAligned: return "source-aligned";
        case ProductKind::kAggregate: return "aggregate";
        case ProductKind::kConsumerAligned: return "consumer-aligned";
    }
    return "";
}

std::string_view LifecycleStatusName(LifecycleStatus s) {
    switch (s) {
        case LifecycleStatus::kProposed: return "proposed";
        case LifecycleStatus::kDraft: return "draft";
        case LifecycleStatus::kActive: return "active";
        case LifecycleStatus::kDeprecated: return "deprecated";
        case LifecycleStatus::kRetired: return "retired";
    }
    return "";
}

std::string_view ClassificationName(Classification c) {
    switch (c) {
        case Classification::kUnset: return "";
        case Classification::kPublic: return "public";
        case Classification::kInternal: return "internal";
        case Classification::kConfidential: return "confidential";
        case Classification::kRestricted: return "restricted";
        case Classification::kPii: return "pii";
    }
    return "";
}

std::string_view MaskName(Mask m) {
    switch (m) {
        case Mask::kNone: return "none";
        case Mask::kHash: return "hash";
        case Mask::kRedact: return "redact";
        case Mask::kNull: return "null";
    }
    return "";
}

std::string_view DataFormatName(DataFormat f) {
    switch (f) {
        case DataFormat::kParquet: return "parquet";
        case DataFormat::kCsv: return "csv";
        case DataFormat::kJson: return "json";
    }
    return "";
}

std::string_view CheckTypeName(CheckType t) {
    switch (t) {
        case CheckType::kSql: return "sql";
        case CheckType::kRowCount: return "row_count";
        case CheckType::kFreshness: return "freshness";
    }
    return "";
}

std::string_view SeverityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }

std::string_view TriggerName(Trigger t) { return t == Trigger::kUpstream ? "upstream" : "none"; }

bool IsLowerSnakeCase(std::string_view name) {
    if (name.empty() || name.size() > 63) return false;
    if (name.front() < 'a' || name.front() > 'z') return false;
    if (name.back() == '_') return false;
    char prev = 0;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok || (c == '_' && prev == '_')) return false;
        prev = c;
    }
    return true;
}

}  // namespace tessera::model
