#include "desktop_notify.hpp"

#include <nlohmann/json.hpp>

#include <dbus/dbus.h>

#include <map>
#include <memory>
#include <string_view>

namespace nftterm::cli {
namespace {

/// urgency hint of the Desktop Notifications spec: 0 low, 1 normal, 2 critical.
unsigned char urgency_of(const std::string& severity)
{
    return severity == "critical" ? 2 : severity == "warning" ? 1 : 0;
}

void append_string(DBusMessageIter* iter, const std::string& text)
{
    const char* value = text.c_str();
    dbus_message_iter_append_basic(iter, DBUS_TYPE_STRING, &value);
}

/// Whether the server reads markup in bodies (its capabilities list "body-markup"; dunst does): asked once.
bool reads_markup(DBusConnection* bus)
{
    static const bool markup = [bus] {
        const std::unique_ptr<DBusMessage, void (*)(DBusMessage*)> ask(
            dbus_message_new_method_call("org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                                         "GetCapabilities"),
            dbus_message_unref);
        if (!ask) return false;
        DBusError error;
        dbus_error_init(&error);
        DBusMessage* reply = dbus_connection_send_with_reply_and_block(bus, ask.get(), 5000, &error);
        dbus_error_free(&error);
        if (!reply) return false;
        bool found = false;
        DBusMessageIter iter, item;
        if (dbus_message_iter_init(reply, &iter) && dbus_message_iter_get_arg_type(&iter) == DBUS_TYPE_ARRAY) {
            dbus_message_iter_recurse(&iter, &item);
            for (; dbus_message_iter_get_arg_type(&item) == DBUS_TYPE_STRING; dbus_message_iter_next(&item)) {
                const char* capability = nullptr;
                dbus_message_iter_get_basic(&item, &capability);
                found |= capability && std::string_view(capability) == "body-markup";
            }
        }
        dbus_message_unref(reply);
        return found;
    }();
    return markup;
}

/// The body as markup text: "health 0.97 < 1.05" would be a broken tag.
std::string escape_markup(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

}  // namespace

std::string notify_desktop(const std::string& alert_json)
{
    const auto alert = nlohmann::json::parse(alert_json, nullptr, false);
    if (!alert.is_object()) return "not an alert";
    const std::string id = alert.value("id", std::string());
    const std::string severity = alert.value("severity", std::string("info"));
    const bool resolved = alert.value("state", std::string()) == "resolved";
    const std::string summary = resolved ? "nftterm: resolved" : "nftterm: " + severity;
    const std::string body = alert.value("message", std::string());

    DBusError error;
    dbus_error_init(&error);
    const std::unique_ptr<DBusConnection, void (*)(DBusConnection*)> bus(dbus_bus_get_private(DBUS_BUS_SESSION, &error), [](DBusConnection* c) {
        dbus_connection_close(c);
        dbus_connection_unref(c);
    });
    if (!bus) {
        const std::string why = std::string("no session D-Bus (") + (error.message ? error.message : "unknown") + ")";
        dbus_error_free(&error);
        return why;
    }
    dbus_connection_set_exit_on_disconnect(bus.get(), false);
    const std::unique_ptr<DBusMessage, void (*)(DBusMessage*)> call(
        dbus_message_new_method_call("org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications", "Notify"),
        dbus_message_unref);
    if (!call) return "cannot make the D-Bus call";

    // A resolution replaces the notification its alert raised.
    static std::map<std::string, dbus_uint32_t> shown;
    const dbus_uint32_t replaces = shown.contains(id) ? shown[id] : 0;
    const dbus_int32_t expire = severity == "critical" && !resolved ? 0 : -1;  // 0: until dismissed
    DBusMessageIter args, actions, hints, entry, variant;
    dbus_message_iter_init_append(call.get(), &args);
    append_string(&args, "nftterm");
    dbus_message_iter_append_basic(&args, DBUS_TYPE_UINT32, &replaces);
    append_string(&args, "dialog-warning");
    append_string(&args, summary);
    append_string(&args, reads_markup(bus.get()) ? escape_markup(body) : body);
    dbus_message_iter_open_container(&args, DBUS_TYPE_ARRAY, "s", &actions);
    dbus_message_iter_close_container(&args, &actions);
    dbus_message_iter_open_container(&args, DBUS_TYPE_ARRAY, "{sv}", &hints);
    dbus_message_iter_open_container(&hints, DBUS_TYPE_DICT_ENTRY, nullptr, &entry);
    append_string(&entry, "urgency");
    dbus_message_iter_open_container(&entry, DBUS_TYPE_VARIANT, "y", &variant);
    const unsigned char urgency = urgency_of(severity);
    dbus_message_iter_append_basic(&variant, DBUS_TYPE_BYTE, &urgency);
    dbus_message_iter_close_container(&entry, &variant);
    dbus_message_iter_close_container(&hints, &entry);
    dbus_message_iter_close_container(&args, &hints);
    dbus_message_iter_append_basic(&args, DBUS_TYPE_INT32, &expire);

    DBusMessage* reply = dbus_connection_send_with_reply_and_block(bus.get(), call.get(), 5000, &error);
    if (!reply) {
        const std::string why = std::string("the notification server did not take it (") + (error.message ? error.message : "no answer") + ")";
        dbus_error_free(&error);
        return why;
    }
    dbus_uint32_t notification = 0;
    if (dbus_message_get_args(reply, &error, DBUS_TYPE_UINT32, &notification, DBUS_TYPE_INVALID)) {
        if (resolved) shown.erase(id);
        else shown[id] = notification;
    }
    dbus_error_free(&error);
    dbus_message_unref(reply);
    return {};
}

}  // namespace nftterm::cli
