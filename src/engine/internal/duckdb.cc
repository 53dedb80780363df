#include "engine/internal/duckdb.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include <duckdb.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tessera::engine::internal {
namespace {

// Owns one DuckDB handle of pointer type `T` that `Destroy(&handle)` releases. Move-only; the
// handle is released exactly once, by whichever object holds it last.
template <typename T, void (*Destroy)(T*)>
class Owned {
public:
    Owned() = default;
    explicit Owned(T handle) : handle_(handle) {}
    Owned(Owned&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Owned& operator=(Owned&& other) noexcept {
        if (this != &other) {
            Reset();
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    ~Owned() { Reset(); }

    T Get() const { return handle_; }
    T* Out() {  // for C functions that fill a handle in
        Reset();
        return &handle_;
    }
    explicit operator bool() const { return handle_ != nullptr; }

private:
    void Reset() {
        if (handle_ != nullptr) {
            Destroy(&handle_);
        }
        handle_ = nullptr;
    }
    T handle_ = nullptr;
};

using OwnedValue = Owned<duckdb_value, duckdb_destroy_value>;
using OwnedType = Owned<duckdb_logical_type, duckdb_destroy_logical_type>;
using OwnedChunk = Owned<duckdb_data_chunk, duckdb_destroy_data_chunk>;
using OwnedPrepared = Owned<duckdb_prepared_statement, duckdb_destroy_prepare>;
using OwnedExtracted = Owned<duckdb_extracted_statements, duckdb_destroy_extracted>;
using OwnedConfig = Owned<duckdb_config, duckdb_destroy_config>;

// A `duckdb_result` is a struct, not a pointer: it is destroyed once any call has filled it,
// whether that call succeeded or not.
class OwnedResult {
public:
    OwnedResult() { std::memset(&result_, 0, sizeof(result_)); }
    OwnedResult(const OwnedResult&) = delete;
    OwnedResult& operator=(const OwnedResult&) = delete;
    ~OwnedResult() { duckdb_destroy_result(&result_); }
    duckdb_result* Get() { return &result_; }

private:
    duckdb_result result_;
};

// A `char*` that DuckDB allocated and `duckdb_free` releases.
struct DuckDbFree {
    void operator()(char* p) const { duckdb_free(p); }
};
using OwnedString = std::unique_ptr<char, DuckDbFree>;

std::string TakeString(char* p) {
    OwnedString owned(p);
    return owned ? std::string(owned.get()) : std::string();
}

// DuckDB's messages start with the error type ("Binder Error: …"); where only the message is
// available (failed prepare or parse), the prefix tells the type.
StatusCode CodeForMessage(std::string_view message) {
    auto starts = [&](std::string_view prefix) {
        return message.substr(0, prefix.size()) == prefix;
    };
    if (starts("Permission Error")) {
        return StatusCode::kPermissionDenied;
    }
    if (starts("INTERRUPT Error")) {
        return StatusCode::kDeadlineExceeded;
    }
    if (starts("Out of Memory Error")) {
        return StatusCode::kResourceExhausted;
    }
    if (starts("TransactionContext Error")) {
        return StatusCode::kAborted;
    }
    if (starts("INTERNAL Error") || starts("FATAL Error")) {
        return StatusCode::kInternal;
    }
    if (starts("IO Error")) {
        if (message.find("No files found") != std::string_view::npos ||
            message.find("No such file") != std::string_view::npos ||
            message.find("does not exist") != std::string_view::npos) {
            return StatusCode::kNotFound;
        }
        if (message.find("Could not set lock") != std::string_view::npos) {
            return StatusCode::kUnavailable;
        }
        return StatusCode::kInternal;
    }
    return StatusCode::kInvalidArgument;
}

StatusCode CodeForError(duckdb_error_type type, std::string_view message) {
    switch (type) {
        case DUCKDB_ERROR_PERMISSION:
            return StatusCode::kPermissionDenied;
        case DUCKDB_ERROR_INTERRUPT:
            return StatusCode::kDeadlineExceeded;
        case DUCKDB_ERROR_OUT_OF_MEMORY:
            return StatusCode::kResourceExhausted;
        case DUCKDB_ERROR_TRANSACTION:
            return StatusCode::kAborted;
        case DUCKDB_ERROR_INTERNAL:
        case DUCKDB_ERROR_FATAL:
            return StatusCode::kInternal;
        case DUCKDB_ERROR_IO:
        case DUCKDB_ERROR_INVALID:
            return CodeForMessage(message);
        default:
            return StatusCode::kInvalidArgument;
    }
}

Status ResultError(duckdb_result* result) {
    const char* message = duckdb_result_error(result);
    std::string text = message != nullptr ? message : "DuckDB failed without a message";
    StatusCode code = CodeForError(duckdb_result_error_type(result), text);
    return {code, std::move(text)};
}

Status MessageError(const char* message) {
    std::string text = message != nullptr ? message : "DuckDB failed without a message";
    StatusCode code = CodeForMessage(text);
    return {code, std::move(text)};
}

// --- Type names, as DuckDB's DESCRIBE prints them ---------------------------------------------

// A struct field or union member name, double-quoted unless it is a plain lower-case identifier.
std::string FieldName(const char* name) {
    std::string_view n = name != nullptr ? name : "";
    bool plain = !n.empty() && !(n[0] >= '0' && n[0] <= '9');
    for (char c : n) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            plain = false;
        }
    }
    if (plain) {
        return std::string(n);
    }
    std::string quoted = "\"";
    for (char c : n) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    return quoted + "\"";
}

std::string TypeName(duckdb_logical_type type) {
    std::string alias = TakeString(duckdb_logical_type_get_alias(type));
    if (!alias.empty()) {
        return alias;  // JSON, user types
    }
    switch (duckdb_get_type_id(type)) {
        case DUCKDB_TYPE_BOOLEAN:
            return "BOOLEAN";
        case DUCKDB_TYPE_TINYINT:
            return "TINYINT";
        case DUCKDB_TYPE_SMALLINT:
            return "SMALLINT";
        case DUCKDB_TYPE_INTEGER:
            return "INTEGER";
        case DUCKDB_TYPE_BIGINT:
            return "BIGINT";
        case DUCKDB_TYPE_UTINYINT:
            return "UTINYINT";
        case DUCKDB_TYPE_USMALLINT:
            return "USMALLINT";
        case DUCKDB_TYPE_UINTEGER:
            return "UINTEGER";
        case DUCKDB_TYPE_UBIGINT:
            return "UBIGINT";
        case DUCKDB_TYPE_HUGEINT:
            return "HUGEINT";
        case DUCKDB_TYPE_UHUGEINT:
            return "UHUGEINT";
        case DUCKDB_TYPE_FLOAT:
            return "FLOAT";
        case DUCKDB_TYPE_DOUBLE:
            return "DOUBLE";
        case DUCKDB_TYPE_TIMESTAMP:
            return "TIMESTAMP";
        case DUCKDB_TYPE_TIMESTAMP_S:
            return "TIMESTAMP_S";
        case DUCKDB_TYPE_TIMESTAMP_MS:
            return "TIMESTAMP_MS";
        case DUCKDB_TYPE_TIMESTAMP_NS:
            return "TIMESTAMP_NS";
        case DUCKDB_TYPE_TIMESTAMP_TZ:
            return "TIMESTAMP WITH TIME ZONE";
        case DUCKDB_TYPE_DATE:
            return "DATE";
        case DUCKDB_TYPE_TIME:
            return "TIME";
        case DUCKDB_TYPE_TIME_NS:
            return "TIME_NS";
        case DUCKDB_TYPE_TIME_TZ:
            return "TIME WITH TIME ZONE";
        case DUCKDB_TYPE_INTERVAL:
            return "INTERVAL";
        case DUCKDB_TYPE_VARCHAR:
            return "VARCHAR";
        case DUCKDB_TYPE_BLOB:
            return "BLOB";
        case DUCKDB_TYPE_BIT:
            return "BIT";
        case DUCKDB_TYPE_UUID:
            return "UUID";
        case DUCKDB_TYPE_BIGNUM:
            return "BIGNUM";
        case DUCKDB_TYPE_SQLNULL:
            return "\"NULL\"";
        case DUCKDB_TYPE_DECIMAL:
            return "DECIMAL(" + std::to_string(duckdb_decimal_width(type)) + "," +
                   std::to_string(duckdb_decimal_scale(type)) + ")";
        case DUCKDB_TYPE_ENUM: {
            std::string name = "ENUM(";
            uint32_t size = duckdb_enum_dictionary_size(type);
            for (uint32_t i = 0; i < size; ++i) {
                if (i > 0) {
                    name += ", ";
                }
                name += "'";
                for (char c : TakeString(duckdb_enum_dictionary_value(type, i))) {
                    if (c == '\'') {
                        name += '\'';
                    }
                    name += c;
                }
                name += "'";
            }
            return name + ")";
        }
        case DUCKDB_TYPE_LIST: {
            OwnedType child(duckdb_list_type_child_type(type));
            return TypeName(child.Get()) + "[]";
        }
        case DUCKDB_TYPE_ARRAY: {
            OwnedType child(duckdb_array_type_child_type(type));
            return TypeName(child.Get()) + "[" +
                   std::to_string(duckdb_array_type_array_size(type)) + "]";
        }
        case DUCKDB_TYPE_MAP: {
            OwnedType key(duckdb_map_type_key_type(type));
            OwnedType value(duckdb_map_type_value_type(type));
            return "MAP(" + TypeName(key.Get()) + ", " + TypeName(value.Get()) + ")";
        }
        case DUCKDB_TYPE_STRUCT: {
            std::string name = "STRUCT(";
            idx_t count = duckdb_struct_type_child_count(type);
            for (idx_t i = 0; i < count; ++i) {
                OwnedType child(duckdb_struct_type_child_type(type, i));
                if (i > 0) {
                    name += ", ";
                }
                name += FieldName(OwnedString(duckdb_struct_type_child_name(type, i)).get());
                name += " " + TypeName(child.Get());
            }
            return name + ")";
        }
        case DUCKDB_TYPE_UNION: {
            std::string name = "UNION(";
            idx_t count = duckdb_union_type_member_count(type);
            for (idx_t i = 0; i < count; ++i) {
                OwnedType member(duckdb_union_type_member_type(type, i));
                if (i > 0) {
                    name += ", ";
                }
                name += FieldName(OwnedString(duckdb_union_type_member_name(type, i)).get());
                name += " " + TypeName(member.Get());
            }
            return name + ")";
        }
        default:
            return "UNKNOWN";
    }
}

// --- Cells -------------------------------------------------------------------------------------

template <typename T>
const T& At(duckdb_vector vector, idx_t row) {
    return static_cast<const T*>(duckdb_vector_get_data(vector))[row];
}

bool IsValid(duckdb_vector vector, idx_t row) {
    uint64_t* validity = duckdb_vector_get_validity(vector);
    return validity == nullptr || duckdb_validity_row_is_valid(validity, row);
}

duckdb_hugeint ToHugeint(int64_t v) {
    duckdb_hugeint h;
    h.lower = static_cast<uint64_t>(v);
    h.upper = v < 0 ? -1 : 0;
    return h;
}

Result<OwnedValue> MakeValue(duckdb_vector vector, duckdb_logical_type type, idx_t row);

// The values of `count` consecutive rows from `first` in `vector`, and their raw handles for the
// C functions that take an array.
struct ValueList {
    std::vector<OwnedValue> owned;
    std::vector<duckdb_value> raw;
};

Result<ValueList> MakeValues(duckdb_vector vector,
                             duckdb_logical_type type,
                             idx_t first,
                             idx_t count) {
    ValueList list;
    list.owned.reserve(count);
    list.raw.reserve(count);
    for (idx_t i = 0; i < count; ++i) {
        TESSERA_ASSIGN_OR_RETURN(OwnedValue v, MakeValue(vector, type, first + i));
        list.raw.push_back(v.Get());
        list.owned.push_back(std::move(v));
    }
    return list;
}

Result<OwnedValue> Checked(duckdb_value value, duckdb_logical_type type) {
    if (value == nullptr) {
        return Internal("DuckDB could not build a value of type " + TypeName(type));
    }
    return OwnedValue(value);
}

// Rebuilds the value at `row` of a flat `vector` as a DuckDB value, so that DuckDB itself renders
// it as text. Children that are NULL become typed NULLs, which nested values require.
Result<OwnedValue> MakeValue(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
    if (!IsValid(vector, row)) {
        return Checked(duckdb_create_null_value(), type);
    }
    switch (duckdb_get_type_id(type)) {
        case DUCKDB_TYPE_BOOLEAN:
            return Checked(duckdb_create_bool(At<bool>(vector, row)), type);
        case DUCKDB_TYPE_TINYINT:
            return Checked(duckdb_create_int8(At<int8_t>(vector, row)), type);
        case DUCKDB_TYPE_SMALLINT:
            return Checked(duckdb_create_int16(At<int16_t>(vector, row)), type);
        case DUCKDB_TYPE_INTEGER:
            return Checked(duckdb_create_int32(At<int32_t>(vector, row)), type);
        case DUCKDB_TYPE_BIGINT:
            return Checked(duckdb_create_int64(At<int64_t>(vector, row)), type);
        case DUCKDB_TYPE_UTINYINT:
            return Checked(duckdb_create_uint8(At<uint8_t>(vector, row)), type);
        case DUCKDB_TYPE_USMALLINT:
            return Checked(duckdb_create_uint16(At<uint16_t>(vector, row)), type);
        case DUCKDB_TYPE_UINTEGER:
            return Checked(duckdb_create_uint32(At<uint32_t>(vector, row)), type);
        case DUCKDB_TYPE_UBIGINT:
            return Checked(duckdb_create_uint64(At<uint64_t>(vector, row)), type);
        case DUCKDB_TYPE_HUGEINT:
            return Checked(duckdb_create_hugeint(At<duckdb_hugeint>(vector, row)), type);
        case DUCKDB_TYPE_UHUGEINT:
            return Checked(duckdb_create_uhugeint(At<duckdb_uhugeint>(vector, row)), type);
        case DUCKDB_TYPE_FLOAT:
            return Checked(duckdb_create_float(At<float>(vector, row)), type);
        case DUCKDB_TYPE_DOUBLE:
            return Checked(duckdb_create_double(At<double>(vector, row)), type);
        case DUCKDB_TYPE_DATE:
            return Checked(duckdb_create_date(At<duckdb_date>(vector, row)), type);
        case DUCKDB_TYPE_TIME:
            return Checked(duckdb_create_time(At<duckdb_time>(vector, row)), type);
        case DUCKDB_TYPE_TIME_NS:
            return Checked(duckdb_create_time_ns(At<duckdb_time_ns>(vector, row)), type);
        case DUCKDB_TYPE_TIME_TZ:
            return Checked(duckdb_create_time_tz_value(At<duckdb_time_tz>(vector, row)), type);
        case DUCKDB_TYPE_TIMESTAMP:
            return Checked(duckdb_create_timestamp(At<duckdb_timestamp>(vector, row)), type);
        case DUCKDB_TYPE_TIMESTAMP_TZ:
            return Checked(duckdb_create_timestamp_tz(At<duckdb_timestamp>(vector, row)), type);
        case DUCKDB_TYPE_TIMESTAMP_S:
            return Checked(duckdb_create_timestamp_s(At<duckdb_timestamp_s>(vector, row)), type);
        case DUCKDB_TYPE_TIMESTAMP_MS:
            return Checked(duckdb_create_timestamp_ms(At<duckdb_timestamp_ms>(vector, row)), type);
        case DUCKDB_TYPE_TIMESTAMP_NS:
            return Checked(duckdb_create_timestamp_ns(At<duckdb_timestamp_ns>(vector, row)), type);
        case DUCKDB_TYPE_INTERVAL:
            return Checked(duckdb_create_interval(At<duckdb_interval>(vector, row)), type);
        case DUCKDB_TYPE_VARCHAR: {
            auto& s = const_cast<duckdb_string_t&>(At<duckdb_string_t>(vector, row));
            return Checked(duckdb_create_varchar_length(duckdb_string_t_data(&s),
                                                        duckdb_string_t_length(s)),
                           type);
        }
        case DUCKDB_TYPE_BLOB: {
            auto& s = const_cast<duckdb_string_t&>(At<duckdb_string_t>(vector, row));
            return Checked(
                    duckdb_create_blob(reinterpret_cast<const uint8_t*>(duckdb_string_t_data(&s)),
                                       duckdb_string_t_length(s)),
                    type);
        }
        case DUCKDB_TYPE_BIT: {
            auto& s = const_cast<duckdb_string_t&>(At<duckdb_string_t>(vector, row));
            duckdb_bit bit;
            bit.data = reinterpret_cast<uint8_t*>(const_cast<char*>(duckdb_string_t_data(&s)));
            bit.size = duckdb_string_t_length(s);
            return Checked(duckdb_create_bit(bit), type);
        }
        case DUCKDB_TYPE_UUID: {
            // Stored with the top bit flipped so that UUIDs sort as unsigned numbers.
            duckdb_hugeint stored = At<duckdb_hugeint>(vector, row);
            duckdb_uhugeint uuid;
            uuid.lower = stored.lower;
            uuid.upper = static_cast<uint64_t>(stored.upper) ^ (uint64_t{1} << 63);
            return Checked(duckdb_create_uuid(uuid), type);
        }
        case DUCKDB_TYPE_DECIMAL: {
            duckdb_decimal d;
            d.width = duckdb_decimal_width(type);
            d.scale = duckdb_decimal_scale(type);
            switch (duckdb_decimal_internal_type(type)) {
                case DUCKDB_TYPE_SMALLINT:
                    d.value = ToHugeint(At<int16_t>(vector, row));
                    break;
                case DUCKDB_TYPE_INTEGER:
                    d.value = ToHugeint(At<int32_t>(vector, row));
                    break;
                case DUCKDB_TYPE_BIGINT:
                    d.value = ToHugeint(At<int64_t>(vector, row));
                    break;
                default:
                    d.value = At<duckdb_hugeint>(vector, row);
                    break;
            }
            return Checked(duckdb_create_decimal(d), type);
        }
        case DUCKDB_TYPE_ENUM: {
            uint64_t index = 0;
            switch (duckdb_enum_internal_type(type)) {
                case DUCKDB_TYPE_UTINYINT:
                    index = At<uint8_t>(vector, row);
                    break;
                case DUCKDB_TYPE_USMALLINT:
                    index = At<uint16_t>(vector, row);
                    break;
                default:
                    index = At<uint32_t>(vector, row);
                    break;
            }
            return Checked(duckdb_create_enum_value(type, index), type);
        }
        case DUCKDB_TYPE_LIST: {
            const auto& entry = At<duckdb_list_entry>(vector, row);
            OwnedType child_type(duckdb_list_type_child_type(type));
            TESSERA_ASSIGN_OR_RETURN(ValueList items,
                                     MakeValues(duckdb_list_vector_get_child(vector),
                                                child_type.Get(), entry.offset, entry.length));
            // The C API refuses a null array even for no items: an empty list needs a real pointer.
            duckdb_value none[1] = {nullptr};
            return Checked(duckdb_create_list_value(child_type.Get(), items.raw.empty() ? none : items.raw.data(),
                                                    items.raw.size()),
                           type);
        }
        case DUCKDB_TYPE_ARRAY: {
            idx_t size = duckdb_array_type_array_size(type);
            OwnedType child_type(duckdb_array_type_child_type(type));
            TESSERA_ASSIGN_OR_RETURN(ValueList items,
                                     MakeValues(duckdb_array_vector_get_child(vector),
                                                child_type.Get(), row * size, size));
            return Checked(
                    duckdb_create_array_value(child_type.Get(), items.raw.data(), items.raw.size()),
                    type);
        }
        case DUCKDB_TYPE_MAP: {
            // A list of STRUCT(key, value) entries.
            const auto& entry = At<duckdb_list_entry>(vector, row);
            duckdb_vector entries = duckdb_list_vector_get_child(vector);
            OwnedType key_type(duckdb_map_type_key_type(type));
            OwnedType value_type(duckdb_map_type_value_type(type));
            TESSERA_ASSIGN_OR_RETURN(ValueList keys,
                                     MakeValues(duckdb_struct_vector_get_child(entries, 0),
                                                key_type.Get(), entry.offset, entry.length));
            TESSERA_ASSIGN_OR_RETURN(ValueList values,
                                     MakeValues(duckdb_struct_vector_get_child(entries, 1),
                                                value_type.Get(), entry.offset, entry.length));
            return Checked(
                    duckdb_create_map_value(type, keys.raw.data(), values.raw.data(), entry.length),
                    type);
        }
        case DUCKDB_TYPE_STRUCT: {
            idx_t count = duckdb_struct_type_child_count(type);
            ValueList fields;
            for (idx_t i = 0; i < count; ++i) {
                OwnedType child_type(duckdb_struct_type_child_type(type, i));
                TESSERA_ASSIGN_OR_RETURN(OwnedValue v,
                                         MakeValue(duckdb_struct_vector_get_child(vector, i),
                                                   child_type.Get(), row));
                fields.raw.push_back(v.Get());
                fields.owned.push_back(std::move(v));
            }
            return Checked(duckdb_create_struct_value(type, fields.raw.data()), type);
        }
        case DUCKDB_TYPE_UNION: {
            // A struct whose first child is the tag and the others the members.
            uint8_t tag = At<uint8_t>(duckdb_struct_vector_get_child(vector, 0), row);
            OwnedType member_type(duckdb_union_type_member_type(type, tag));
            TESSERA_ASSIGN_OR_RETURN(OwnedValue member, MakeValue(duckdb_struct_vector_get_child(
                                                                          vector, idx_t{tag} + 1),
                                                                  member_type.Get(), row));
            return Checked(duckdb_create_union_value(type, tag, member.Get()), type);
        }
        case DUCKDB_TYPE_SQLNULL:
            return Checked(duckdb_create_null_value(), type);
        default:
            return InvalidArgument("cannot read a value of type " + TypeName(type) +
                                   " from a result; cast the column to VARCHAR in the query");
    }
}

// Appends the text of the cell at `row` of `vector` to `result`. Common scalar types are written
// directly; the rest go through a DuckDB value so that DuckDB's own formatting applies.
Status AppendCell(duckdb_vector vector,
                  duckdb_logical_type type,
                  idx_t row,
                  std::string* text,
                  bool* is_null) {
    *is_null = !IsValid(vector, row);
    if (*is_null) {
        return Status::Ok();
    }
    char buffer[32];
    auto integer = [&](auto v) {
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), v);
        text->assign(buffer, end);
    };
    switch (duckdb_get_type_id(type)) {
        case DUCKDB_TYPE_VARCHAR: {
            auto& s = const_cast<duckdb_string_t&>(At<duckdb_string_t>(vector, row));
            text->assign(duckdb_string_t_data(&s), duckdb_string_t_length(s));
            return Status::Ok();
        }
        case DUCKDB_TYPE_BOOLEAN:
            *text = At<bool>(vector, row) ? "true" : "false";
            return Status::Ok();
        case DUCKDB_TYPE_TINYINT:
            integer(At<int8_t>(vector, row));
            return Status::Ok();
        case DUCKDB_TYPE_SMALLINT:
            integer(At<int16_t>(vector, row));
            return Status::Ok();
        case DUCKDB_TYPE_INTEGER:
            integer(At<int32_t>(vector, row));
            return Status::Ok();
        case DUCKDB_TYPE_BIGINT:
            integer(At<int64_t>(vector, row));
            return Status::Ok();
        case DUCKDB_TYPE_UTINYINT:
            integer(At<uint8_t>(vector, row));
            return Status::Ok();
        case DUCKDB_TYPE_USMALLINT:
            integer(At<uint16_t>(vector, row));
            return Status::Ok();
        case DUCKDB_TYPE_UINTEGER:
            integer(At<uint32_t>(vector, row));
            return Status::Ok();
        case DUCKDB_TYPE_UBIGINT:
            integer(At<uint64_t>(vector, row));
            return Status::Ok();
        default:
            break;
    }
    TESSERA_ASSIGN_OR_RETURN(OwnedValue value, MakeValue(vector, type, row));
    OwnedString s(duckdb_get_varchar(value.Get()));
    if (!s) {
        return Internal("DuckDB could not render a value of type " + TypeName(type));
    }
    text->assign(s.get());
    return Status::Ok();
}

bool IsNested(duckdb_type id) {
    return id == DUCKDB_TYPE_LIST || id == DUCKDB_TYPE_ARRAY || id == DUCKDB_TYPE_STRUCT || id == DUCKDB_TYPE_MAP;
}

bool IsJsonNumber(duckdb_type id) {
    switch (id) {
        case DUCKDB_TYPE_TINYINT: case DUCKDB_TYPE_SMALLINT: case DUCKDB_TYPE_INTEGER: case DUCKDB_TYPE_BIGINT:
        case DUCKDB_TYPE_UTINYINT: case DUCKDB_TYPE_USMALLINT: case DUCKDB_TYPE_UINTEGER: case DUCKDB_TYPE_UBIGINT:
        case DUCKDB_TYPE_HUGEINT: case DUCKDB_TYPE_UHUGEINT: case DUCKDB_TYPE_FLOAT: case DUCKDB_TYPE_DOUBLE:
        case DUCKDB_TYPE_DECIMAL:
            return true;
        default:
            return false;
    }
}

void AppendJsonString(std::string_view s, std::string* out) {
    static const char kHex[] = "0123456789abcdef";
    *out += '"';
    for (char ch : s) {
        auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            *out += '\\';
            *out += ch;
        } else if (ch == '\n') {
            *out += "\\n";
        } else if (ch == '\t') {
            *out += "\\t";
        } else if (ch == '\r') {
            *out += "\\r";
        } else if (u < 0x20) {
            *out += "\\u00";
            *out += kHex[u >> 4];
            *out += kHex[u & 15];
        } else {
            *out += ch;
        }
    }
    *out += '"';
}

// Appends the cell at `row` of a LIST, ARRAY, STRUCT or MAP vector (or of any vector inside one)
// as JSON: lists and arrays as arrays, structs as objects, maps as objects keyed by the keys'
// text; numbers and booleans bare (NaN and infinities as strings), everything else as strings.
Status AppendJson(duckdb_vector vector, duckdb_logical_type type, idx_t row, std::string* out) {
    if (!IsValid(vector, row)) {
        *out += "null";
        return Status::Ok();
    }
    duckdb_type id = duckdb_get_type_id(type);
    switch (id) {
        case DUCKDB_TYPE_LIST:
        case DUCKDB_TYPE_MAP: {
            const duckdb_list_entry& e = At<duckdb_list_entry>(vector, row);
            duckdb_vector child = duckdb_list_vector_get_child(vector);
            if (id == DUCKDB_TYPE_LIST) {
                OwnedType child_type(duckdb_list_type_child_type(type));
                *out += '[';
                for (idx_t i = 0; i < e.length; ++i) {
                    if (i) *out += ',';
                    TESSERA_RETURN_IF_ERROR(AppendJson(child, child_type.Get(), e.offset + i, out));
                }
                *out += ']';
                return Status::Ok();
            }
            OwnedType key_type(duckdb_map_type_key_type(type));
            OwnedType value_type(duckdb_map_type_value_type(type));
            duckdb_vector keys = duckdb_struct_vector_get_child(child, 0);
            duckdb_vector values = duckdb_struct_vector_get_child(child, 1);
            *out += '{';
            std::string key;
            for (idx_t i = 0; i < e.length; ++i) {
                bool is_null = false;
                TESSERA_RETURN_IF_ERROR(AppendCell(keys, key_type.Get(), e.offset + i, &key, &is_null));
                if (i) *out += ',';
                AppendJsonString(is_null ? "null" : key, out);
                *out += ':';
                TESSERA_RETURN_IF_ERROR(AppendJson(values, value_type.Get(), e.offset + i, out));
            }
            *out += '}';
            return Status::Ok();
        }
        case DUCKDB_TYPE_ARRAY: {
            idx_t size = duckdb_array_type_array_size(type);
            duckdb_vector child = duckdb_array_vector_get_child(vector);
            OwnedType child_type(duckdb_array_type_child_type(type));
            *out += '[';
            for (idx_t i = 0; i < size; ++i) {
                if (i) *out += ',';
                TESSERA_RETURN_IF_ERROR(AppendJson(child, child_type.Get(), row * size + i, out));
            }
            *out += ']';
            return Status::Ok();
        }
        case DUCKDB_TYPE_STRUCT: {
            idx_t n = duckdb_struct_type_child_count(type);
            *out += '{';
            for (idx_t i = 0; i < n; ++i) {
                OwnedString name(duckdb_struct_type_child_name(type, i));
                OwnedType child_type(duckdb_struct_type_child_type(type, i));
                if (i) *out += ',';
                AppendJsonString(name ? name.get() : "", out);
                *out += ':';
                TESSERA_RETURN_IF_ERROR(
                        AppendJson(duckdb_struct_vector_get_child(vector, i), child_type.Get(), row, out));
            }
            *out += '}';
            return Status::Ok();
        }
        default:
            break;
    }
    std::string text;
    bool is_null = false;
    TESSERA_RETURN_IF_ERROR(AppendCell(vector, type, row, &text, &is_null));
    bool bare = id == DUCKDB_TYPE_BOOLEAN ||
                (IsJsonNumber(id) && text.find_first_not_of("0123456789.-+eE") == std::string::npos);
    if (bare) *out += text;
    else AppendJsonString(text, out);
    return Status::Ok();
}

// The text of a result cell: DuckDB's own rendering for scalars, JSON for nested values (DuckDB's
// `[a, b]` cannot tell the list ['a, b'] from ['a', 'b']).
Status AppendResultCell(duckdb_vector vector, duckdb_logical_type type, idx_t row, std::string* text,
                        bool* is_null) {
    if (!IsNested(duckdb_get_type_id(type))) return AppendCell(vector, type, row, text, is_null);
    *is_null = !IsValid(vector, row);
    text->clear();
    return *is_null ? Status::Ok() : AppendJson(vector, type, row, text);
}

Status CheckOpen(duckdb_connection handle) {
    if (handle == nullptr) {
        return FailedPrecondition("the connection was moved from; use the one it moved to");
    }
    return Status::Ok();
}

}  // namespace

std::string_view QueryResult::Cell(size_t row, size_t column) const {
    size_t i = Index(row, column);
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
}

// Reads every chunk of a successful `duckdb_result` into a `QueryResult`.
class QueryResultBuilder {
public:
    static Result<QueryResult> Materialize(duckdb_result* raw) {
        Connection::LimitedResult limited;
        TESSERA_RETURN_IF_ERROR(Fill(raw, SIZE_MAX, SIZE_MAX, &limited));
        return std::move(limited.result);
    }
    // Reads chunks until the result ends or holds `max_rows` rows (then `truncated` if another row
    // came); kResourceExhausted when the cells' text passes `max_bytes`.
    static Status Fill(duckdb_result* raw, size_t max_rows, size_t max_bytes, Connection::LimitedResult* out);
};

Status QueryResultBuilder::Fill(duckdb_result* raw, size_t max_rows, size_t max_bytes, Connection::LimitedResult* out) {
    QueryResult& result = out->result;
    switch (duckdb_result_return_type(*raw)) {
        case DUCKDB_RESULT_TYPE_CHANGED_ROWS:
            result.kind_ = ResultKind::kChangedRows;
            break;
        case DUCKDB_RESULT_TYPE_QUERY_RESULT:
            result.kind_ = ResultKind::kRows;
            break;
        default:
            result.kind_ = ResultKind::kNothing;
            break;
    }
    idx_t columns = duckdb_column_count(raw);
    std::vector<OwnedType> types;
    for (idx_t c = 0; c < columns; ++c) {
        const char* name = duckdb_column_name(raw, c);
        result.column_names_.emplace_back(name != nullptr ? name : "");
        types.emplace_back(duckdb_column_logical_type(raw, c));
        result.column_types_.push_back(TypeName(types.back().Get()));
    }
    std::string text;
    while (true) {
        OwnedChunk chunk(duckdb_fetch_chunk(*raw));
        if (!chunk) {
            // A streaming result that failed while producing rows reports it here.
            if (duckdb_result_error(raw) != nullptr) return ResultError(raw);
            break;
        }
        idx_t rows = duckdb_data_chunk_get_size(chunk.Get());
        if (rows == 0) {
            break;
        }
        if (result.row_count_ + rows > max_rows) {
            out->truncated = true;
            rows = max_rows - result.row_count_;
        }
        std::vector<duckdb_vector> vectors;
        for (idx_t c = 0; c < columns; ++c) {
            vectors.push_back(duckdb_data_chunk_get_vector(chunk.Get(), c));
        }
        for (idx_t r = 0; r < rows; ++r) {
            for (idx_t c = 0; c < columns; ++c) {
                bool is_null = false;
                TESSERA_RETURN_IF_ERROR(AppendResultCell(vectors[c], types[c].Get(), r, &text, &is_null));
                if (is_null) {
                    result.AppendNull();
                } else {
                    result.AppendCell(text);
                }
            }
            if (result.text_.size() > max_bytes) {
                std::string limit = max_bytes >= (size_t{1} << 20) && max_bytes % (size_t{1} << 20) == 0
                                            ? std::to_string(max_bytes >> 20) + " MiB"
                                            : std::to_string(max_bytes) + " bytes";
                return Status(StatusCode::kResourceExhausted,
                              "the result is larger than " + limit + ": select fewer rows or columns, or write it to a file");
            }
        }
        result.row_count_ += rows;
        if (out->truncated) break;
    }
    return Status::Ok();
}

// --- Connection --------------------------------------------------------------------------------

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        if (handle_ != nullptr) {
            duckdb_disconnect(&handle_);
        }
        handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
}

Connection::~Connection() {
    if (handle_ != nullptr) {
        duckdb_disconnect(&handle_);
    }
}

Result<QueryResult> Connection::Query(std::string_view sql) {
    TESSERA_RETURN_IF_ERROR(CheckOpen(handle_));
    std::string text(sql);
    OwnedResult raw;
    if (duckdb_query(handle_, text.c_str(), raw.Get()) == DuckDBError) {
        return ResultError(raw.Get());
    }
    return QueryResultBuilder::Materialize(raw.Get());
}

Status Connection::Execute(std::string_view sql) {
    TESSERA_RETURN_IF_ERROR(CheckOpen(handle_));
    std::string text(sql);
    OwnedResult raw;
    if (duckdb_query(handle_, text.c_str(), raw.Get()) == DuckDBError) {
        return ResultError(raw.Get());
    }
    return Status::Ok();
}

Result<Connection::LimitedResult> Connection::QueryLimited(std::string_view sql, size_t max_rows, size_t max_bytes) {
    TESSERA_RETURN_IF_ERROR(CheckOpen(handle_));
    std::string text(sql);
    OwnedPrepared prepared;
    if (duckdb_prepare(handle_, text.c_str(), prepared.Out()) == DuckDBError) {
        return MessageError(duckdb_prepare_error(prepared.Get()));
    }
    duckdb_pending_result pending = nullptr;
    if (duckdb_pending_prepared_streaming(prepared.Get(), &pending) == DuckDBError) {
        Status error = MessageError(pending != nullptr ? duckdb_pending_error(pending) : nullptr);
        if (pending != nullptr) duckdb_destroy_pending(&pending);
        return error;
    }
    OwnedResult raw;
    duckdb_state state = duckdb_execute_pending(pending, raw.Get());
    duckdb_destroy_pending(&pending);
    if (state == DuckDBError) return ResultError(raw.Get());
    LimitedResult limited;
    TESSERA_RETURN_IF_ERROR(QueryResultBuilder::Fill(raw.Get(), max_rows, max_bytes, &limited));
    return limited;
}

namespace {

// HMAC-SHA256 under one key (RFC 2104), with the key's inner and outer SHA-256 states computed
// once: each value then costs two copies of a digest state and two short digests. (OpenSSL's
// one-shot HMAC() looks the algorithm up on every call, which made masking a million values take
// seconds.) Read-only after construction, so DuckDB's threads share it.
class KeyedHashState {
public:
    explicit KeyedHashState(const std::string& key) {
        unsigned char block[64] = {0};
        if (key.size() > sizeof(block)) {
            unsigned int n = 0;
            EVP_Digest(key.data(), key.size(), block, &n, EVP_sha256(), nullptr);
        } else {
            std::memcpy(block, key.data(), key.size());
        }
        unsigned char ipad[64], opad[64];
        for (size_t i = 0; i < sizeof(block); ++i) {
            ipad[i] = block[i] ^ 0x36;
            opad[i] = block[i] ^ 0x5c;
        }
        ok_ = inner_ && outer_ && EVP_DigestInit_ex(inner_.get(), EVP_sha256(), nullptr) == 1 &&
              EVP_DigestUpdate(inner_.get(), ipad, sizeof(ipad)) == 1 &&
              EVP_DigestInit_ex(outer_.get(), EVP_sha256(), nullptr) == 1 &&
              EVP_DigestUpdate(outer_.get(), opad, sizeof(opad)) == 1;
    }

    // The MAC of `data` into `mac` (32 bytes); false when OpenSSL fails. `work` is the caller's.
    bool Mac(EVP_MD_CTX* work, const unsigned char* data, size_t size, unsigned char* mac) const {
        unsigned char inner[EVP_MAX_MD_SIZE];
        unsigned int n = 0, m = 0;
        return ok_ && EVP_MD_CTX_copy_ex(work, inner_.get()) == 1 && EVP_DigestUpdate(work, data, size) == 1 &&
               EVP_DigestFinal_ex(work, inner, &n) == 1 && EVP_MD_CTX_copy_ex(work, outer_.get()) == 1 &&
               EVP_DigestUpdate(work, inner, n) == 1 && EVP_DigestFinal_ex(work, mac, &m) == 1 && m == 32;
    }

private:
    struct FreeDigest {
        void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
    };
    std::unique_ptr<EVP_MD_CTX, FreeDigest> inner_{EVP_MD_CTX_new()}, outer_{EVP_MD_CTX_new()};
    bool ok_ = false;
};

void KeyedHash(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
    const auto* state = static_cast<const KeyedHashState*>(duckdb_scalar_function_get_extra_info(info));
    idx_t rows = duckdb_data_chunk_get_size(input);
    duckdb_vector in = duckdb_data_chunk_get_vector(input, 0);
    duckdb_vector_ensure_validity_writable(output);
    uint64_t* out_validity = duckdb_vector_get_validity(output);
    static const char kHex[] = "0123456789abcdef";
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> work(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    for (idx_t r = 0; r < rows; ++r) {
        if (!IsValid(in, r)) {
            duckdb_validity_set_row_invalid(out_validity, r);
            continue;
        }
        auto& s = const_cast<duckdb_string_t&>(At<duckdb_string_t>(in, r));
        unsigned char mac[32];
        if (!work || !state->Mac(work.get(), reinterpret_cast<const unsigned char*>(duckdb_string_t_data(&s)),
                                 duckdb_string_t_length(s), mac)) {
            duckdb_scalar_function_set_error(info, "HMAC-SHA256 failed");
            return;
        }
        char hex[64];
        for (unsigned int i = 0; i < 32; ++i) {
            hex[2 * i] = kHex[mac[i] >> 4];
            hex[2 * i + 1] = kHex[mac[i] & 15];
        }
        duckdb_vector_assign_string_element_len(output, r, hex, sizeof(hex));
    }
}

}  // namespace

Status Connection::RegisterKeyedHash(const std::string& name, std::string key) {
    TESSERA_RETURN_IF_ERROR(CheckOpen(handle_));
    if (key.empty()) return InvalidArgument("a keyed hash needs a key");
    duckdb_scalar_function f = duckdb_create_scalar_function();
    duckdb_scalar_function_set_name(f, name.c_str());
    OwnedType varchar(duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR));
    duckdb_scalar_function_add_parameter(f, varchar.Get());
    duckdb_scalar_function_set_return_type(f, varchar.Get());
    duckdb_scalar_function_set_function(f, KeyedHash);
    duckdb_scalar_function_set_extra_info(f, std::make_unique<KeyedHashState>(key).release(),
                                          [](void* p) { delete static_cast<KeyedHashState*>(p); });
    duckdb_state state = duckdb_register_scalar_function(handle_, f);
    duckdb_destroy_scalar_function(&f);
    if (state == DuckDBError) return Internal("cannot register the function " + name);
    return Status::Ok();
}

Status Connection::QueryEach(
        std::string_view sql,
        const std::function<Status(size_t index, const QueryResult& result)>& visit) {
    TESSERA_RETURN_IF_ERROR(CheckOpen(handle_));
    std::string text(sql);
    OwnedExtracted statements;
    idx_t count = duckdb_extract_statements(handle_, text.c_str(), statements.Out());
    if (count == 0) {
        const char* error =
                statements ? duckdb_extract_statements_error(statements.Get()) : nullptr;
        if (error == nullptr) {
            return Status::Ok();  // only whitespace and comments
        }
        return MessageError(error);
    }
    for (idx_t i = 0; i < count; ++i) {
        OwnedPrepared prepared;
        if (duckdb_prepare_extracted_statement(handle_, statements.Get(), i, prepared.Out()) ==
            DuckDBError) {
            return MessageError(duckdb_prepare_error(prepared.Get()));
        }
        OwnedResult raw;
        if (duckdb_execute_prepared(prepared.Get(), raw.Get()) == DuckDBError) {
            return ResultError(raw.Get());
        }
        TESSERA_ASSIGN_OR_RETURN(QueryResult result, QueryResultBuilder::Materialize(raw.Get()));
        TESSERA_RETURN_IF_ERROR(visit(i, result));
    }
    return Status::Ok();
}

namespace {

// Destroying an appender flushes what it still buffers; on the error paths that is nothing the
// caller keeps, as a failed `Append` leaves the table's contents unspecified.
void DestroyAppender(duckdb_appender* appender) {
    duckdb_appender_destroy(appender);
}
using OwnedAppender = Owned<duckdb_appender, DestroyAppender>;

OwnedType LogicalType(ColumnType type) {
    switch (type) {
        case ColumnType::kVarchar:
            return OwnedType(duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR));
        case ColumnType::kBigint:
            return OwnedType(duckdb_create_logical_type(DUCKDB_TYPE_BIGINT));
        case ColumnType::kDouble:
            return OwnedType(duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE));
        case ColumnType::kBoolean:
            return OwnedType(duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN));
        case ColumnType::kTimestamp:
            return OwnedType(duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP));
        case ColumnType::kVarcharList: {
            OwnedType child(duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR));
            return OwnedType(duckdb_create_list_type(child.Get()));
        }
    }
    return OwnedType();
}

// Whether `column` holds `count` strings, all within its text.
bool StringsFit(const ColumnValues& column, size_t count) {
    return column.ends.size() >= count &&
           (count == 0 || column.ends[count - 1] <= column.text.size());
}

// Whether the spans that `Connection::Append` reads for `column` cover `rows` rows.
bool CoversRows(const ColumnValues& column, size_t rows) {
    if (!column.nulls.empty() && column.nulls.size() < rows) {
        return false;
    }
    switch (column.type) {
        case ColumnType::kBigint:
        case ColumnType::kTimestamp:
            return column.integers.size() >= rows;
        case ColumnType::kDouble:
            return column.doubles.size() >= rows;
        case ColumnType::kBoolean:
            return column.booleans.size() >= rows;
        case ColumnType::kVarchar:
            return StringsFit(column, rows);
        case ColumnType::kVarcharList:
            return column.list_ends.size() >= rows &&
                   StringsFit(column, rows == 0 ? 0 : column.list_ends[rows - 1]);
    }
    return false;
}

// Writes strings `first` to `first + count` of `column` into `vector` from its row 0 on.
void FillStrings(duckdb_vector vector, const ColumnValues& column, size_t first, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        size_t begin = first + i == 0 ? 0 : column.ends[first + i - 1];
        size_t end = column.ends[first + i];
        duckdb_vector_assign_string_element_len(vector, i, column.text.data() + begin, end - begin);
    }
}

// Writes rows `first` to `first + count` of `column` into `vector`, a vector of a fresh chunk.
Status FillVector(duckdb_vector vector, const ColumnValues& column, size_t first, size_t count) {
    if (!column.nulls.empty()) {
        const uint8_t* nulls = column.nulls.data() + first;
        if (std::any_of(nulls, nulls + count, [](uint8_t n) { return n != 0; })) {
            duckdb_vector_ensure_validity_writable(vector);
            uint64_t* validity = duckdb_vector_get_validity(vector);
            for (size_t i = 0; i < count; ++i) {
                duckdb_validity_set_row_validity(validity, i, nulls[i] == 0);
            }
        }
    }
    void* data = duckdb_vector_get_data(vector);
    switch (column.type) {
        case ColumnType::kBigint:
            std::memcpy(data, column.integers.data() + first, count * sizeof(int64_t));
            return Status::Ok();
        case ColumnType::kTimestamp: {
            auto* out = static_cast<duckdb_timestamp*>(data);
            for (size_t i = 0; i < count; ++i) {
                out[i].micros = column.integers[first + i];
            }
            return Status::Ok();
        }
        case ColumnType::kDouble:
            std::memcpy(data, column.doubles.data() + first, count * sizeof(double));
            return Status::Ok();
        case ColumnType::kBoolean: {
            auto* out = static_cast<bool*>(data);
            for (size_t i = 0; i < count; ++i) {
                out[i] = column.booleans[first + i] != 0;
            }
            return Status::Ok();
        }
        case ColumnType::kVarchar:
            FillStrings(vector, column, first, count);
            return Status::Ok();
        case ColumnType::kVarcharList: {
            size_t items_begin = first == 0 ? 0 : column.list_ends[first - 1];
            size_t items_end = column.list_ends[first + count - 1];
            duckdb_vector child = duckdb_list_vector_get_child(vector);
            if (duckdb_list_vector_reserve(vector, items_end - items_begin) == DuckDBError ||
                duckdb_list_vector_set_size(vector, items_end - items_begin) == DuckDBError) {
                return Internal("DuckDB could not make room for " +
                                std::to_string(items_end - items_begin) + " list items");
            }
            // Reserving may move the entries: read the data pointer again.
            auto* entries = static_cast<duckdb_list_entry*>(duckdb_vector_get_data(vector));
            for (size_t i = 0; i < count; ++i) {
                size_t begin = first + i == 0 ? 0 : column.list_ends[first + i - 1];
                entries[i].offset = begin - items_begin;
                entries[i].length = column.list_ends[first + i] - begin;
            }
            FillStrings(child, column, items_begin, items_end - items_begin);
            return Status::Ok();
        }
    }
    return Internal("unknown column type");
}

}  // namespace

Status Connection::Append(std::string_view table,
                          std::span<const ColumnValues> columns,
                          size_t row_count) {
    TESSERA_RETURN_IF_ERROR(CheckOpen(handle_));
    std::string name(table);
    OwnedAppender appender;
    if (duckdb_appender_create(handle_, nullptr, name.c_str(), appender.Out()) == DuckDBError) {
        const char* error = appender ? duckdb_appender_error(appender.Get()) : nullptr;
        return NotFound("cannot append to table " + name + ": " +
                        (error != nullptr ? error : "it does not exist"));
    }
    auto fail = [&](std::string_view what) {
        const char* error = duckdb_appender_error(appender.Get());
        return InvalidArgument("cannot append to table " + name + ": " +
                               (error != nullptr ? std::string(error) : std::string(what)));
    };
    if (duckdb_appender_column_count(appender.Get()) != columns.size()) {
        return InvalidArgument("cannot append to table " + name + ": it has " +
                               std::to_string(duckdb_appender_column_count(appender.Get())) +
                               " columns, " + std::to_string(columns.size()) + " were given");
    }
    std::vector<OwnedType> owned_types;
    std::vector<duckdb_logical_type> types;
    for (const ColumnValues& column : columns) {
        if (!CoversRows(column, row_count)) {
            return InvalidArgument("cannot append to table " + name + ": column " +
                                   std::to_string(owned_types.size() + 1) + " holds fewer than " +
                                   std::to_string(row_count) + " values");
        }
        owned_types.push_back(LogicalType(column.type));
        types.push_back(owned_types.back().Get());
    }
    const size_t capacity = duckdb_vector_size();
    for (size_t first = 0; first < row_count; first += capacity) {
        size_t count = std::min(capacity, row_count - first);
        OwnedChunk chunk(duckdb_create_data_chunk(types.data(), types.size()));
        if (!chunk) {
            return Internal("DuckDB could not allocate a data chunk");
        }
        for (size_t c = 0; c < columns.size(); ++c) {
            TESSERA_RETURN_IF_ERROR(FillVector(duckdb_data_chunk_get_vector(chunk.Get(), c),
                                               columns[c], first, count));
        }
        duckdb_data_chunk_set_size(chunk.Get(), count);
        if (duckdb_append_data_chunk(appender.Get(), chunk.Get()) == DuckDBError) {
            return fail("a data chunk was refused");
        }
    }
    if (duckdb_appender_close(appender.Get()) == DuckDBError) {
        return fail("the rows could not be written");
    }
    return Status::Ok();
}

void Connection::Interrupt() {
    if (handle_ != nullptr) {
        duckdb_interrupt(handle_);
    }
}

// --- Database ----------------------------------------------------------------------------------

Result<Database> Database::Open(std::string_view path, const ConfigOptions& config) {
    OwnedConfig options;
    if (duckdb_create_config(options.Out()) == DuckDBError) {
        return Internal("DuckDB could not allocate a configuration");
    }
    for (const auto& [name, value] : config) {
        if (duckdb_set_config(options.Get(), name.c_str(), value.c_str()) == DuckDBError) {
            std::string message = "DuckDB setting '";
            message.append(name).append("' rejects the value '").append(value);
            message.append("' (or is unknown); see DuckDB's list of configuration options");
            return InvalidArgument(std::move(message));
        }
    }
    std::string file = path == ":memory:" ? std::string() : std::string(path);
    duckdb_database handle = nullptr;
    char* raw_error = nullptr;
    duckdb_state state = duckdb_open_ext(file.empty() ? nullptr : file.c_str(), &handle,
                                         options.Get(), &raw_error);
    std::string error = TakeString(raw_error);
    if (state == DuckDBError) {
        if (handle != nullptr) {
            duckdb_close(&handle);
        }
        if (error.empty()) {
            error = "DuckDB could not open the database '" + file + "'";
        }
        StatusCode code = CodeForMessage(error);
        // Failures to open that are not the caller's fault are internal, not invalid arguments.
        if (code == StatusCode::kInvalidArgument && error.rfind("Invalid Input Error", 0) != 0 &&
            error.rfind("Invalid Configuration Error", 0) != 0 &&
            error.rfind("Invalid Error", 0) != 0) {
            code = StatusCode::kInternal;
        }
        return Status(code, std::move(error));
    }
    return Database(handle);
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (handle_ != nullptr) {
            duckdb_close(&handle_);
        }
        handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
}

Database::~Database() {
    if (handle_ != nullptr) {
        duckdb_close(&handle_);
    }
}

Result<Connection> Database::Connect() {
    if (handle_ == nullptr) {
        return FailedPrecondition("the database was moved from; connect to the one it moved to");
    }
    duckdb_connection handle = nullptr;
    if (duckdb_connect(handle_, &handle) == DuckDBError) {
        if (handle != nullptr) {
            duckdb_disconnect(&handle);
        }
        return Internal("DuckDB refused a new connection to the database");
    }
    return Connection(handle);
}

std::string_view DuckDbVersion() {
    return duckdb_library_version();
}

std::string ValidUtf8(std::string_view text) {
    // The length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, no surrogates,
    // nothing past U+10FFFF), or 0.
    auto valid_at = [&](size_t i) -> size_t {
        auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
        auto cont = [&](size_t k) { return i + k < text.size() && (b(k) & 0xC0) == 0x80; };
        unsigned char c = b(0);
        if (c < 0x80) return 1;
        if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
        if (c >= 0xE0 && c <= 0xEF) {
            if (!cont(1) || !cont(2)) return 0;
            if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F)) return 0;
            return 3;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (!cont(1) || !cont(2) || !cont(3)) return 0;
            if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F)) return 0;
            return 4;
        }
        return 0;
    };
    size_t i = 0;
    while (i < text.size()) {
        size_t n = valid_at(i);
        if (n == 0) break;
        i += n;
    }
    if (i == text.size()) return std::string(text);
    std::string out(text.substr(0, i));
    while (i < text.size()) {
        size_t n = valid_at(i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

Table ToTable(const QueryResult& result, int64_t max_rows) {
    Table table;
    for (const auto& name : result.column_names()) table.columns.push_back(ValidUtf8(name));
    table.types = result.column_types();
    size_t n = result.row_count();
    if (static_cast<int64_t>(n) > max_rows) {
        table.truncated = true;
        n = static_cast<size_t>(max_rows);
    }
    table.rows.reserve(n);
    for (size_t r = 0; r < n; ++r) {
        std::vector<std::optional<std::string>> row;
        row.reserve(result.column_count());
        for (size_t c = 0; c < result.column_count(); ++c) {
            if (result.IsNull(r, c)) row.emplace_back(std::nullopt);
            else row.emplace_back(ValidUtf8(result.Cell(r, c)));
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

}  // namespace tessera::engine::internal
