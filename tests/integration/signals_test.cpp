// Signals to the real gateway process: SIGHUP reloads the mapping folder (and keeps the
// old mappings when a file is broken), SIGTERM and SIGINT drain (readiness turns 503,
// the request in flight still gets its whole answer, the process exits 0).

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>

namespace ordergate::testing {
namespace {

const std::string one_processing_order = R"({"offset":0,"limit":20,"count":1,"orders":[
  {"id":"9","id_encoded":"#100009","create_datetime":"2024-01-05 00:10:00","update_datetime":null,
   "state_id":"processing","total":"10.0000","shipping":"0.0000","params":{},"items":[]}]})";

/// The "status" of the first order of an order-history answer.
std::string first_status(const http_answer& answer) {
  const auto doc = parse_json(answer.body);
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("orders") ||
      !doc["orders"].IsArray() || doc["orders"].Empty() || !doc["orders"][0].HasMember("status")) {
    return "<no status in " + answer.body + ">";
  }
  return doc["orders"][0]["status"].GetString();
}

struct reload_fixture : gateway_fixture {
  reload_fixture() : gateway_fixture(this_build(), deferred()) {
    options.mappings = copy_mappings(paths.mappings(), scratch.path());
    start();
    webasyst.set_script(always(vendor_reply::json(200, one_processing_order)));
  }

  std::optional<http_answer> history() {
    return post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  }
  std::filesystem::path mapping_file(const char* name) const { return options.mappings / name; }

  /// Whether /metrics has the exact line `series value`.
  bool metrics_show(const std::string& line) {
    const auto answer = get("/metrics");
    return answer && ("\n" + answer->body).find("\n" + line + "\n") != std::string::npos;
  }
};

struct drain_fixture : gateway_fixture {
  drain_fixture()
      : gateway_fixture(this_build(), with_env({{"ORDERGATE_DRAIN_GRACE_SECONDS", "5"}})) {}
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(reload, reload_fixture)

BOOST_AUTO_TEST_CASE(a_broken_file_keeps_the_old_mappings_and_a_valid_change_is_picked_up) {
  const auto before = history();
  BOOST_REQUIRE(before);
  BOOST_TEST(before->status == 200u);
  BOOST_TEST(first_status(*before) == "Подтвержден");

  // Break one file, and change another in a way that would show: none of it may apply.
  const auto history_file = mapping_file("imshop-order-history.jsonc");
  const auto states_file = mapping_file("webasyst-states.jsonc");
  replace_in_file(history_file, R"("limit": 20,)", R"("limit": 20,, oops)");
  replace_in_file(states_file, R"("processing": "Подтвержден")", R"("processing": "В работе")");
  std::size_t mark = gateway->stdout_lines().size();
  gateway->send_signal(SIGHUP);
  const auto failed = gateway->wait_for_event("reload_failed", 20s, mark);
  BOOST_REQUIRE_MESSAGE(failed, gateway->output());
  BOOST_TEST(failed->find("imshop-order-history.jsonc") != std::string::npos);

  const auto during = history();
  BOOST_REQUIRE(during);
  BOOST_TEST(during->status == 200u);
  BOOST_TEST(first_status(*during) == "Подтвержден");  // the old mappings, whole
  BOOST_TEST(metrics_show("ordergate_mapping_last_reload_successful 0"));
  BOOST_TEST(metrics_show(R"(ordergate_mapping_reloads_total{outcome="failed"} 1)"));

  replace_in_file(history_file, R"("limit": 20,, oops)", R"("limit": 20,)");
  mark = gateway->stdout_lines().size();
  gateway->send_signal(SIGHUP);
  BOOST_REQUIRE_MESSAGE(gateway->wait_for_event("reloaded", 20s, mark), gateway->output());

  const auto after = history();
  BOOST_REQUIRE(after);
  BOOST_TEST(after->status == 200u);
  BOOST_TEST(first_status(*after) == "В работе");
  BOOST_TEST(metrics_show("ordergate_mapping_last_reload_successful 1"));
  BOOST_TEST(metrics_show(R"(ordergate_mapping_reloads_total{outcome="ok"} 1)"));
}

BOOST_AUTO_TEST_CASE(a_new_route_file_is_served_after_reload) {
  const auto before = post("/imshop/v3/order-cancel", R"({"id":"9","status":"canceled"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(before);
  BOOST_TEST(before->status == 404u);

  const auto copy = mapping_file("imshop-order-cancel-v3.jsonc");
  std::filesystem::copy_file(mapping_file("imshop-order-cancel-v2.jsonc"), copy);
  replace_in_file(copy, R"("/imshop/v2/order-cancel")", R"("/imshop/v3/order-cancel")");
  const std::size_t mark = gateway->stdout_lines().size();
  gateway->send_signal(SIGHUP);
  BOOST_REQUIRE_MESSAGE(gateway->wait_for_event("reloaded", 20s, mark), gateway->output());

  webasyst.set_script(order_in_state("paid", always(vendor_reply::json(200, R"({"id":"9"})"))));
  const auto after = post("/imshop/v3/order-cancel", R"({"id":"9","status":"canceled"})",
                          bearer(secret::imshop_key));
  BOOST_REQUIRE(after);
  BOOST_TEST(after->status == 200u);
  BOOST_TEST(json_field(after->body, "status") == "deleted");
}

BOOST_AUTO_TEST_CASE(the_process_survives_a_reload_and_stops_cleanly) {
  const std::size_t mark = gateway->stdout_lines().size();
  gateway->send_signal(SIGHUP);
  BOOST_REQUIRE(gateway->wait_for_event("reloaded", 20s, mark));
  gateway->send_signal(SIGTERM);
  BOOST_TEST(gateway->wait_exit().value_or(-1) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(drain, drain_fixture)

BOOST_AUTO_TEST_CASE(sigterm_lets_the_request_in_flight_finish_and_exits_0) {
  const std::string search = R"({"offset":0,"limit":20,"count":0,"orders":[]})";
  webasyst.set_script(always([&] {
    auto reply = vendor_reply::json(200, search);
    reply.held = true;  // the vendor answers only when the test says so
    return reply;
  }()));
  client_connection in_flight(port());
  BOOST_REQUIRE(in_flight.send(
      post_json("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key))));
  BOOST_REQUIRE(webasyst.wait_for_requests(1));

  gateway->send_signal(SIGTERM);
  BOOST_REQUIRE_MESSAGE(gateway->wait_for_event("draining"), gateway->output());

  // During the grace period new connections are still served, and readiness says 503.
  const auto ready = get("/readyz");
  BOOST_REQUIRE(ready);
  BOOST_TEST(ready->status == 503u);
  BOOST_TEST(json_field(ready->body, "error") == "unavailable");
  const auto health = get("/healthz");
  BOOST_REQUIRE(health);
  BOOST_TEST(health->status == 200u);
  const auto metrics = get("/metrics");
  BOOST_REQUIRE(metrics);
  BOOST_TEST(metrics->body.find("\nordergate_ready 0\n") != std::string::npos, metrics->body);

  webasyst.release_held();
  const auto answer = in_flight.receive(30s);
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
  BOOST_TEST(!answer->keep_alive);  // draining: the connection closes after this answer

  const auto status = gateway->wait_exit(40s);
  BOOST_REQUIRE_MESSAGE(status, gateway->output());
  BOOST_TEST(*status == 0);
  BOOST_TEST(gateway->wait_for_event("stopped", 5s).has_value());
}

BOOST_AUTO_TEST_CASE(sigint_drains_too) {
  gateway->send_signal(SIGINT);
  BOOST_REQUIRE(gateway->wait_for_event("draining"));
  const auto status = gateway->wait_exit(40s);
  BOOST_REQUIRE_MESSAGE(status, gateway->output());
  BOOST_TEST(*status == 0);
}

BOOST_AUTO_TEST_SUITE_END()

struct no_grace_fixture : gateway_fixture {
  no_grace_fixture() : gateway_fixture(this_build()) {}
};

BOOST_FIXTURE_TEST_SUITE(stop, no_grace_fixture)

BOOST_AUTO_TEST_CASE(sigterm_on_an_idle_gateway_exits_0) {
  client_connection idle_keep_alive(port());
  BOOST_REQUIRE(idle_keep_alive.send(make_request("GET", "/healthz")));
  BOOST_REQUIRE(idle_keep_alive.receive());
  gateway->send_signal(SIGTERM);
  const auto status = gateway->wait_exit(30s);
  BOOST_REQUIRE_MESSAGE(status, gateway->output());
  BOOST_TEST(*status == 0);
  BOOST_TEST(idle_keep_alive.wait_closed());
}

BOOST_AUTO_TEST_SUITE_END()

struct short_deadline_fixture : gateway_fixture {
  short_deadline_fixture()
      : gateway_fixture(this_build(), with_env({{"ORDERGATE_DRAIN_SECONDS", "1"}})) {}
};

BOOST_FIXTURE_TEST_SUITE(drain_deadline, short_deadline_fixture)

BOOST_AUTO_TEST_CASE(a_request_stuck_past_the_drain_deadline_is_cut_and_the_process_exits_0) {
  webasyst.set_script(always(vendor_reply::hang()));
  client_connection stuck(port());
  BOOST_REQUIRE(stuck.send(
      post_json("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key))));
  BOOST_REQUIRE(webasyst.wait_for_requests(1));
  gateway->send_signal(SIGTERM);
  const auto status = gateway->wait_exit(40s);
  BOOST_REQUIRE_MESSAGE(status, gateway->output());
  BOOST_TEST(*status == 0, gateway->output());
  BOOST_TEST(stuck.wait_closed());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(serve_refuses_to_start_with_a_broken_mapping_and_names_it) {
  scratch_dir scratch;
  const auto folder = copy_mappings(this_build().mappings(), scratch.path());
  replace_in_file(folder / "imshop-order-cancel.jsonc", R"("action": "delete",)",
                  R"("action": delete,)");
  gateway_process process(this_build().binary, {{"ORDERGATE_LISTEN", "127.0.0.1:0"},
                                                {"ORDERGATE_MAPPINGS", folder.string()}});
  const auto status = process.wait_exit(30s);
  BOOST_REQUIRE_MESSAGE(status, process.output());
  BOOST_TEST(*status == 1);
  BOOST_TEST(process.output().find("imshop-order-cancel.jsonc") != std::string::npos,
             process.output());
}

}  // namespace ordergate::testing
