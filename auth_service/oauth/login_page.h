#pragma once
// Server-rendered HTML of the auth service: the login page and the error
// page. Self-contained (no external assets); the only inline <style> carries
// the CSP nonce. Every interpolated value is HTML-escaped. Pure; thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstore::auth {

// Escapes & < > " ' for element content and quoted attribute values.
std::string HtmlEscape(std::string_view text);

struct LoginPageModel {
  std::string client_name;  // shown to the user
  std::string action;       // form action, e.g. "/authorize"
  std::string csrf_token;
  // The authorization request, carried as hidden inputs (empty values skipped).
  std::vector<std::pair<std::string, std::string>> hidden;
  std::string error;     // one generic message, or ""
  std::string username;  // pre-filled after a failure
  std::string style_nonce;
  std::string signup_url;  // "Create an account" link below the form, or "" for none
};

// The login page: exactly one <form method="post">, inputs `username`
// (text) and `password` (password) with labels, hidden `csrf_token` and
// request fields.
std::string RenderLoginPage(const LoginPageModel& model);

// A plain error page (unknown client, bad redirect URI, CSRF failure...).
std::string RenderErrorPage(std::string_view title, std::string_view message,
                            std::string_view style_nonce);

// The sign-out confirmation (RP-initiated logout without a hint of the
// current session): one <form method="post" action=`action`> with the
// `hidden` fields (empty values skipped) and a "Sign out" button.
std::string RenderLogoutConfirmPage(std::string_view action,
                                    const std::vector<std::pair<std::string, std::string>>& hidden,
                                    std::string_view style_nonce);

// A plain information page (e.g. "signed out").
std::string RenderMessagePage(std::string_view title, std::string_view message,
                              std::string_view style_nonce);

}  // namespace bookstore::auth
