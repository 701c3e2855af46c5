#include "position_actions.hpp"

#include "plan_runner.hpp"

#include <protocols/actions/perp.hpp>
#include <protocols/actions/pool_credit.hpp>
#include <protocols/actions/repay.hpp>
#include <protocols/actions/topup.hpp>

#include <charconv>
#include <iostream>

namespace nftterm::cli {
namespace {

using namespace nftterm::protocols;
using namespace nftterm::protocols::positions;
using namespace nftterm::protocols::actions;

const char* const kSignerUsage = "(--keystore FILE --password-file P | --private-key-file F)\n"
                                 "                         [--registry FILE] [--yes] [--journal FILE] [node options]";

/// "usage: nftterm-cli COMMAND OPTIONS " + the signer options + the description. Appended
/// in place: GCC 12 reports a false -Warray-bounds on the inlined `std::string + const char*`.
std::string usage_text(std::string_view head, std::string_view description)
{
    std::string text;
    text.reserve(head.size() + std::char_traits<char>::length(kSignerUsage) + description.size());
    text.append(head).append(kSignerUsage).append(description);
    return text;
}

/// A positive decimal option as WAD, or the exit code after saying why.
std::variant<wallet::U256, int> wad_option(const Arguments& args, const char* command, const char* name, const char* example)
{
    const auto text = args.value(name);
    if (!text) {
        std::cerr << "nftterm-cli: " << command << " needs --" << name << " (such as " << example << ")\n";
        return 2;
    }
    auto value = wallet::U256::parse_units(*text, 18);
    if (!value || *value == wallet::U256(0)) {
        std::cerr << "nftterm-cli: --" << name << " is a positive decimal such as " << example << "\n";
        return 2;
    }
    return *value;
}

}  // namespace

int run_topup_command(int argc, char** argv)
{
    PlanCommand command;
    command.name = "topup";
    command.title = "Top-up";
    command.usage = usage_text("usage: nftterm-cli topup --position ID --target-health H ", R"(

Restores a position to a target health: a partial repay for a pool loan
(health factor), added margin for a perp (margin ratio). Plans the amount,
shows every call in words with the predicted health and the balance after,
asks (unless --yes), simulates, signs, sends, waits, and prints the health
before and after as JSON. ID is the position's id from `nftterm-cli
positions`; H a decimal (1.5 = health factor 1.5; 0.2 = margin ratio 20 %).

)");
    command.options = {"target-health"};
    command.make_planner = [](const Arguments& args) -> std::variant<Planner, int> {
        auto target = wad_option(args, "topup", "target-health", "1.5");
        if (auto* code = std::get_if<int>(&target)) return *code;
        const auto wad = std::get<wallet::U256>(target);
        return Planner([wad](eth::RpcClient& client, const Registry& registry, const Position& position) {
            return plan_top_up(client, registry, position, wad);
        });
    };
    return run_plan_command(argc, argv, command);
}

int run_repay_command(int argc, char** argv)
{
    PlanCommand command;
    command.name = "repay";
    command.title = "Repay";
    command.usage = usage_text("usage: nftterm-cli repay --position ID ", R"(

Repays a loan in full so that the NFT comes back: NFTfi's payBackLoan (the
fixed payoff; the contract refuses it after maturity) or the whole debt of a
BendDAO pool loan (the amount sent covers ten minutes of interest; the pool
takes only the debt). Shows, asks, simulates, signs, sends and waits as
`topup` does, and prints the outcome as JSON.

)");
    command.make_planner = [](const Arguments&) -> std::variant<Planner, int> {
        return Planner([](eth::RpcClient& client, const Registry& registry, const Position& position) { return plan_repay(client, registry, position); });
    };
    return run_plan_command(argc, argv, command);
}

int run_close_command(int argc, char** argv)
{
    PlanCommand command;
    command.name = "close";
    command.title = "Close";
    command.usage = usage_text("usage: nftterm-cli close --position ID [--max-slippage-bps N] ", R"(

Closes a perp position at the Amm's quote for its whole size, with a limit
N basis points worse than the quote (default 50 = 0.5 %): if the market
moves further before the call lands, it reverts instead of filling badly.
Shows what comes back (margin − funding + PnL, less the fee), asks,
simulates, signs, sends and waits as `topup` does.

)");
    command.options = {"max-slippage-bps"};
    command.make_planner = [](const Arguments& args) -> std::variant<Planner, int> {
        std::uint32_t bps = kDefaultCloseSlippageBps;
        if (const auto text = args.value("max-slippage-bps")) {
            const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), bps);
            if (error != std::errc() || end != text->data() + text->size() || bps == 0 || bps >= 10000) {
                std::cerr << "nftterm-cli: --max-slippage-bps is a whole number of basis points from 1 to 9999 (50 = 0.5 %)\n";
                return 2;
            }
        }
        return Planner([bps](eth::RpcClient& client, const Registry&, const Position& position) { return plan_close(client, position, bps); });
    };
    return run_plan_command(argc, argv, command);
}

int run_remove_margin_command(int argc, char** argv)
{
    PlanCommand command;
    command.name = "remove-margin";
    command.title = "Margin removal";
    command.usage = usage_text("usage: nftterm-cli remove-margin --position ID --target-margin-ratio R ", R"(

Takes margin out of a perp position down to margin ratio R (0.25 = 25 %),
but never more than the clearing house's free collateral allows. Shows,
asks, simulates, signs, sends and waits as `topup` does.

)");
    command.options = {"target-margin-ratio"};
    command.make_planner = [](const Arguments& args) -> std::variant<Planner, int> {
        auto target = wad_option(args, "remove-margin", "target-margin-ratio", "0.25");
        if (auto* code = std::get_if<int>(&target)) return *code;
        const auto wad = std::get<wallet::U256>(target);
        return Planner([wad](eth::RpcClient& client, const Registry&, const Position& position) { return plan_remove_margin(client, position, wad); });
    };
    return run_plan_command(argc, argv, command);
}

int run_redeem_command(int argc, char** argv)
{
    PlanCommand command;
    command.name = "redeem";
    command.title = "Redeem";
    command.usage = usage_text("usage: nftterm-cli redeem --position ID [--amount V] ", R"(

Redeems a pool loan in auction within its redeem window (LendPool.redeem):
repays part of the debt (--amount V, or by default the least the
collection's redeem threshold asks; at most 90 %) and pays the bid fine,
which goes to the first bidder (the pool's own rule: the redeem fine of the
debt, at least the minimum fine); the bid returns to its bidder and the loan
is active again. Shows the amounts and the health factor after, asks,
simulates, signs, sends and waits as `topup` does, and prints JSON.

)");
    command.options = {"amount"};
    command.make_planner = [](const Arguments& args) -> std::variant<Planner, int> {
        std::optional<wallet::U256> amount;
        if (args.value("amount")) {
            auto parsed = wad_option(args, "redeem", "amount", "3.5");
            if (auto* code = std::get_if<int>(&parsed)) return *code;
            amount = std::get<wallet::U256>(parsed);
        }
        return Planner([amount](eth::RpcClient& client, const Registry& registry, const Position& position) { return plan_redeem(client, registry, position, amount); });
    };
    return run_plan_command(argc, argv, command);
}

}  // namespace nftterm::cli
