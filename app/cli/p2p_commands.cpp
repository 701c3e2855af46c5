#include "p2p_commands.hpp"

#include "arguments.hpp"
#include "node_options.hpp"
#include "plan_runner.hpp"
#include "position_setup.hpp"
#include "signer_options.hpp"
#include "trade_support.hpp"

#include <protocols/actions/p2p_offer.hpp>
#include <protocols/actions/plan_reads.hpp>
#include <protocols/eth/rpc/eth_api.hpp>
#include <protocols/positions/read_helpers.hpp>
#include <wallet/accounts/atomic_file.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>

namespace nftterm::cli {

using nlohmann::json;
using namespace nftterm::protocols;

namespace {

constexpr const char* kOfferUsage = R"(usage: nftterm-cli offer list [--offers FILE] [--account A]
       nftterm-cli offer accept --offer N|FILE [--offers FILE] KEY [--yes]
       nftterm-cli offer create --collection C --token-id ID --principal V --repayment V --duration-days D
                                [--expiry-hours H] [--nonce N] --out FILE KEY [--yes]
       nftterm-cli offer extend --position nftfi:LOANS:ID --duration-days D --repayment V [--fee V]
                                [--expiry-hours H] [--nonce N] --out FILE KEY
       nftterm-cli offer renegotiate --terms FILE KEY [--yes]

NFTfi-style P2P offers. `list`: the offers (from --offers FILE, default the
devnet manifest's) on the NFTs the account holds (default: every offer),
each with its principal, repayment, APR, duration and whether it can be
accepted now (the checks `accept` makes). `accept`: the Nth offer of the
list's file, or the first of FILE: the lender's signature is recovered and
its nonce, expiry and admin fee, the duration, the currency, your NFT and
the lender's funds are checked before signing; then acceptOffer (with the
NFT's approval first). `create`: as a lender, signs an offer in NFTfi's
format (personal_sign of the packed terms, the nonce, the expiry, the loan
contract and the chain) and writes it to FILE in the same shape; when your
allowance to the loan contract is short of the principal, an approval is
sent first. `extend`: as the lender of an open loan, signs new terms (the
duration counted from the loan's start, the repayment, a fee the borrower
pays) in NFTfi's renegotiation format and writes them to FILE.
`renegotiate`: as the borrower, checks the terms as the contract will (the
lender's signature, nonce, expiry, the new due date not past) and extends the
loan (renegotiateLoan, the fee approved first). Prints JSON.
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

constexpr const char* kForecloseUsage = R"(usage: nftterm-cli foreclose (--position nftfi:LOANS:ID | --loan-id N) KEY [--yes]

As the lender of an NFTfi-style loan past its maturity and not repaid:
liquidateOverdueLoan, and the NFT comes to you. Refused before signing for a
loan that is not yours, not yet due, or already closed. Prints JSON.
KEY is --keystore FILE --password-file P, --private-key-file F, or --ledger.
)";

struct OfferSource {
    std::vector<nftfi::SignedOffer> offers;
    std::string name;
};

/// The offers of --offers FILE, else of the registry file (the devnet manifest lists its open offers).
std::variant<OfferSource, std::string> offers_of(const Arguments& args, const PositionSetup& setup, const std::optional<std::string>& file = std::nullopt)
{
    const std::string path = file ? *file : args.value("offers").value_or(setup.registry_file.string());
    auto text = wallet::read_small_file(path, 16 << 20);
    if (!text) return "cannot read " + path + ": " + text.error().message();
    auto offers = nftfi::offers_from_json(*text);
    if (!offers) return path + ": " + offers.error().message();
    return OfferSource{std::move(*offers), path};
}

json offer_json(const nftfi::SignedOffer& o, std::size_t index)
{
    return {{"index", index},
            {"lender", o.lender.to_hex()},
            {"collection", o.offer.nft_contract.to_hex()},
            {"tokenId", o.offer.nft_id.to_dec()},
            {"principal", o.offer.principal.to_dec()},
            {"maximumRepayment", o.offer.maximum_repayment.to_dec()},
            {"durationSeconds", o.offer.duration_seconds},
            {"adminFeeBps", o.offer.admin_fee_bps},
            {"currency", o.offer.currency.to_hex()},
            {"nonce", o.nonce.to_dec()},
            {"expiry", o.expiry.to_dec()}};
}

std::string apr_text(std::uint64_t bps)
{
    return std::to_string(bps / 100) + "." + (bps % 100 < 10 ? "0" : "") + std::to_string(bps % 100) + " %";
}

}  // namespace

int run_offer_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger", "json"});
    const auto& words = args.positionals();
    const std::string sub = words.size() > 1 ? words[1] : "";
    if (args.has("help") || (sub != "list" && sub != "accept" && sub != "create" && sub != "extend" && sub != "renegotiate")) {
        std::cout << kOfferUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return args.has("help") ? 0 : 2;
    }
    std::vector<std::string> options{"offers", "offer", "account", "collection", "token-id", "principal", "repayment", "duration-days", "expiry-hours",
                                     "nonce", "out", "journal", "registry", "json", "position", "fee", "terms"};
    options.insert(options.end(), kSignerOptions.begin(), kSignerOptions.end());
    options.insert(options.end(), kSigningOptions.begin(), kSigningOptions.end());
    auto parsed = position_setup(args, "offer", options, false);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    auto& setup = std::get<PositionSetup>(parsed);
    const auto fail_with = [](int code, const std::string& why) {
        std::cerr << "nftterm-cli: offer: " << why << "\n";
        return code;
    };
    eth::RpcClient client(setup.node);
    auto head = eth::block_number(client);
    if (!head) return fail_with(1, head.error().message());

    if (sub == "list") {
        auto source = offers_of(args, setup);
        if (auto* why = std::get_if<std::string>(&source)) return fail_with(1, *why);
        const auto& offers = std::get<OfferSource>(source).offers;
        std::optional<wallet::Address> account;
        if (const auto text = args.value("account")) {
            account = wallet::Address::from_hex(*text);
            if (!account) return fail_with(2, "--account: '" + *text + "' is not an address");
        }
        json out = json::array();
        for (std::size_t i = 0; i < offers.size(); ++i) {
            const auto& o = offers[i];
            auto owner = actions::detail::view_at(client, o.offer.nft_contract, "ownerOf(uint256)", {positions::detail::value(o.offer.nft_id)}, "(address)", *head);
            const wallet::Address holder = owner ? positions::detail::address((*owner)[0]) : wallet::Address();
            if (account && holder != *account) continue;
            json entry = offer_json(o, i);
            entry["holder"] = holder.to_hex();
            // The checks accept makes, as the NFT's holder would meet them now.
            auto check = actions::plan_accept_offer(client, setup.registry, holder, o, *head);
            entry["acceptable"] = check.has_value();
            entry["why"] = check ? json(nullptr) : json(check.error().message());
            if (check) entry["aprBps"] = check->apr_bps;
            out.push_back(entry);
            if (!args.has("json"))
                std::cout << "#" << i << "  " << o.offer.nft_contract.to_hex().substr(0, 10) << "… #" << o.offer.nft_id.to_dec() << "  borrow "
                          << short_wad(o.offer.principal) << ", repay " << short_wad(o.offer.maximum_repayment) << " in " << o.offer.duration_seconds / 86400
                          << " d" << (check ? " (APR " + apr_text(check->apr_bps) + ")" : std::string()) << "  from " << o.lender.to_hex().substr(0, 10) << "…  "
                          << (check ? std::string("acceptable") : "not acceptable: " + check.error().message()) << "\n";
        }
        if (args.has("json")) std::cout << out.dump(2) << "\n";
        return 0;
    }

    if (!has_signer(args)) return fail_with(2, std::string("signs: ") + kNoSigner);
    auto signer = signer_from_options(args);
    if (!signer) return fail_with(1, signer.error().message());
    const wallet::Address account = (*signer)->address();

    if (sub == "accept") {
        const auto which = args.value("offer");
        if (!which) return fail_with(2, "accept needs --offer N (an index of the offers file) or --offer FILE");
        nftfi::SignedOffer offer;
        const bool is_index = !which->empty() && which->find_first_not_of("0123456789") == std::string::npos;
        auto source = is_index ? offers_of(args, setup) : offers_of(args, setup, *which);
        if (auto* why = std::get_if<std::string>(&source)) return fail_with(1, *why);
        const auto& offers = std::get<OfferSource>(source).offers;
        const std::size_t index = is_index ? std::stoul(*which) : 0;
        if (index >= offers.size()) return fail_with(2, "--offer " + *which + ": the file lists " + std::to_string(offers.size()) + " offer(s)");
        offer = offers[index];
        auto plan = actions::plan_accept_offer(client, setup.registry, account, offer, *head);
        if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
        std::cerr << "Accept an NFTfi offer on " << plan->loans.to_hex() << ", signed by " << (*signer)->description() << " on chain " << setup.registry.chain_id << ":\n";
        for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
        std::cerr << "  interest " << short_wad(plan->interest) << " (APR " << apr_text(plan->apr_bps) << "), due at unix time " << plan->due << " if it lands now; admin fee "
                  << offer.offer.admin_fee_bps << " bps of the interest, paid by the lender; the lender's signature, nonce and expiry check out\n";
        if (!confirmed(args, "offer accept")) return 1;
        json out = offer_json(offer, index);
        out["action"] = "acceptOffer";
        out["aprBps"] = plan->apr_bps;
        std::string failure;
        std::vector<eth::Receipt> receipts;
        const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure, &receipts);
        if (landed && !receipts.empty()) {
            // LoanStarted(uint32 indexed loanId, …): the loan the contract opened.
            for (const auto& log : receipts.back().logs)
                if (log.address == plan->loans && log.topics.size() >= 2)
                    if (auto id = wallet::U256::from_be(log.topics[1].view())) out["loanId"] = id->to_dec();
        }
        std::cout << out.dump(2) << "\n";
        return landed ? 0 : fail_with(1, failure);
    }

    if (sub == "renegotiate") {
        const auto file = args.value("terms");
        if (!file) return fail_with(2, "renegotiate needs --terms FILE (the lender's signed terms)");
        auto text = wallet::read_small_file(*file);
        if (!text) return fail_with(1, "cannot read " + *file + ": " + text.error().message());
        auto terms = nftfi::renegotiation_from_json(*text);
        if (!terms) return fail_with(1, *file + ": " + terms.error().message());
        auto plan = actions::plan_renegotiate(client, setup.registry, account, *terms, *head);
        if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
        std::cerr << "Extend loan #" << terms->loan_id << " on " << plan->loans.to_hex() << ", signed by " << (*signer)->description() << " on chain "
                  << setup.registry.chain_id << ":\n";
        for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
        if (!confirmed(args, "offer renegotiate")) return 1;
        json out{{"action", "renegotiate"},
                 {"loanId", terms->loan_id},
                 {"durationSeconds", terms->duration_seconds},
                 {"maximumRepayment", terms->maximum_repayment.to_dec()},
                 {"fee", terms->fee.to_dec()},
                 {"repaymentBefore", plan->repayment_before.to_dec()},
                 {"dueBefore", plan->due_before},
                 {"dueAfter", plan->due_after}};
        std::string failure;
        const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure);
        std::cout << out.dump(2) << "\n";
        return landed ? 0 : fail_with(1, failure);
    }

    if (sub == "extend") {
        const auto position = args.value("position");
        const auto days = args.value("duration-days") ? wallet::U256::from_dec(*args.value("duration-days")) : wallet::Result<wallet::U256>(std::unexpected(wallet::Error{}));
        const auto repayment = args.value("repayment") ? eth_amount(*args.value("repayment")) : std::nullopt;
        const auto fee = args.value("fee") ? eth_amount(*args.value("fee")) : std::optional<wallet::U256>(wallet::U256(0));
        const auto out_file = args.value("out");
        if (!position || position->rfind("nftfi:", 0) != 0 || !days || days->is_zero() || !repayment || !fee || !out_file)
            return fail_with(2, "extend needs --position nftfi:LOANS:ID, --duration-days D, --repayment V, --out FILE (and --fee V)");
        const auto loan_id = wallet::U256::from_dec(position->substr(position->rfind(':') + 1));
        if (!loan_id || !loan_id->to_u64() || *loan_id->to_u64() > 0xFFFFFFFFULL) return fail_with(2, "--position: an NFTfi position id (nftfi:LOANS:ID)");
        const auto loans = setup.registry.contract("NFTfiDirectLoanFixedOffer");
        if (!loans) return fail_with(1, "the registry names no NFTfi DirectLoanFixedOffer contract");
        auto lender = actions::detail::view_at(client, *loans, "loanIdToLender(uint32)", {positions::detail::value(*loan_id->to_u64())}, "(address)", *head);
        if (!lender || positions::detail::address((*lender)[0]) != account) return fail_with(1, "loan #" + loan_id->to_dec() + " is not lent by the signing account");
        auto block = eth::get_block(client, eth::BlockTag::number(*head));
        if (!block) return fail_with(1, block.error().message());
        nftfi::SignedRenegotiation terms;
        terms.loan_id = static_cast<std::uint32_t>(*loan_id->to_u64());
        terms.duration_seconds = static_cast<std::uint32_t>(days->to_u64().value_or(0) * 86400);
        terms.maximum_repayment = *repayment;
        terms.fee = *fee;
        terms.lender = account;
        const std::uint64_t hours = args.value("expiry-hours") ? std::strtoull(args.value("expiry-hours")->c_str(), nullptr, 10) : 24;
        terms.expiry = wallet::U256(block->timestamp + hours * 3600);
        terms.nonce = args.value("nonce") ? wallet::U256::from_dec(*args.value("nonce")).value_or(wallet::U256(0))
                                          : wallet::U256(static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()));
        std::cerr << "Sign new terms for loan #" << terms.loan_id << ": " << days->to_dec() << " days from its start, repay " << short_wad(terms.maximum_repayment)
                  << ", fee " << short_wad(terms.fee) << "; valid until unix time " << terms.expiry.to_dec() << " (personal_sign, loan contract " << loans->to_hex()
                  << ", chain " << setup.registry.chain_id << ")\n";
        if (!confirmed(args, "offer extend")) return 1;
        const auto message = nftfi::renegotiation_message(terms.loan_id, terms.duration_seconds, terms.maximum_repayment, terms.fee, account, terms.nonce, terms.expiry,
                                                          *loans, setup.registry.chain_id);
        auto signature = (*signer)->sign_personal_message(wallet::Bytes(message.bytes.begin(), message.bytes.end()), {});
        if (!signature) return fail_with(1, signature.error().message());
        terms.signature = wallet::to_hex(signature->to_rsv().view());
        if (auto written = wallet::write_file_atomically(*out_file, nftfi::renegotiation_to_json(terms), 0644); !written) return fail_with(1, written.error().message());
        std::cout << json{{"action", "extendOffer"}, {"loanId", terms.loan_id}, {"file", *out_file}}.dump(2) << "\n";
        return 0;
    }

    // create: the lender signs an offer and writes it.
    const auto named = args.value("collection");
    const auto collection = named ? collection_of(setup.registry, *named) : std::nullopt;
    const auto token_text = args.value("token-id");
    const auto token = token_text ? wallet::U256::from_dec(*token_text) : wallet::Result<wallet::U256>(std::unexpected(wallet::Error{}));
    const auto principal = args.value("principal") ? eth_amount(*args.value("principal")) : std::nullopt;
    const auto repayment = args.value("repayment") ? eth_amount(*args.value("repayment")) : std::nullopt;
    const auto days = args.value("duration-days") ? wallet::U256::from_dec(*args.value("duration-days")) : wallet::Result<wallet::U256>(std::unexpected(wallet::Error{}));
    const auto out_file = args.value("out");
    if (!collection || !token || !principal || !repayment || !days || days->is_zero() || !out_file)
        return fail_with(2, "create needs --collection, --token-id, --principal V, --repayment V, --duration-days D and --out FILE");
    const auto weth = setup.registry.contract("WETH9");
    if (!weth) return fail_with(1, "the registry names no WETH9");
    auto block = eth::get_block(client, eth::BlockTag::number(*head));
    if (!block) return fail_with(1, block.error().message());
    const std::uint64_t hours = args.value("expiry-hours") ? std::strtoull(args.value("expiry-hours")->c_str(), nullptr, 10) : 24;
    nftfi::SignedOffer offer;
    offer.lender = account;
    offer.offer.nft_contract = *collection;
    offer.offer.nft_id = *token;
    offer.offer.principal = *principal;
    offer.offer.maximum_repayment = *repayment;
    offer.offer.duration_seconds = static_cast<std::uint32_t>(days->to_u64().value_or(0) * 86400);
    offer.offer.currency = *weth;
    offer.expiry = wallet::U256(block->timestamp + hours * 3600);
    if (const auto text = args.value("nonce")) {
        auto nonce = wallet::U256::from_dec(*text);
        if (!nonce) return fail_with(2, "--nonce: '" + *text + "' is not a whole number");
        offer.nonce = *nonce;
    } else {
        // A fresh nonce: the time in nanoseconds is not one the lender has used.
        offer.nonce = wallet::U256(static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()));
    }
    auto terms = actions::offer_terms(client, setup.registry, account, *weth, *principal, *head);
    if (!terms) return fail_with(1, terms.error().message());
    offer.offer.admin_fee_bps = terms->admin_fee_bps;
    if (offer.offer.maximum_repayment < offer.offer.principal) return fail_with(2, "the repayment must be at least the principal (the contract refuses less)");
    std::cerr << "Create an NFTfi offer on NFT #" << token->to_dec() << " of " << collection->to_hex() << ", signed by " << (*signer)->description() << ":\n"
              << "  lend " << short_wad(*principal) << " WETH, repaid " << short_wad(*repayment) << " within " << days->to_dec() << " days; valid until unix time "
              << offer.expiry.to_dec() << "; nonce " << offer.nonce.to_dec() << "; admin fee " << terms->admin_fee_bps << " bps (the contract's)\n";
    for (std::size_t i = 0; i < terms->approval.size(); ++i) std::cerr << "  first: " << terms->approval[i].description << "\n";
    std::cerr << "  then sign the offer (personal_sign) for loan contract " << terms->loans.to_hex() << " on chain " << setup.registry.chain_id << "\n";
    if (!confirmed(args, "offer create")) return 1;
    json out = {{"action", "createOffer"}};
    std::string failure;
    if (!terms->approval.empty() && !send_trade(client, **signer, args, setup.registry.chain_id, terms->approval, out, failure)) return fail_with(1, failure);
    const auto message = nftfi::offer_message(offer.offer, account, offer.nonce, offer.expiry, terms->loans, setup.registry.chain_id);
    auto signature = (*signer)->sign_personal_message(wallet::Bytes(message.bytes.begin(), message.bytes.end()), {});
    if (!signature) return fail_with(1, signature.error().message());
    offer.signature = wallet::to_hex(signature->to_rsv().view());
    if (auto written = wallet::write_file_atomically(*out_file, nftfi::offers_to_json({offer}), 0644); !written) return fail_with(1, written.error().message());
    out["offer"] = offer_json(offer, 0);
    out["file"] = *out_file;
    std::cout << out.dump(2) << "\n";
    return 0;
}

int run_foreclose_command(int argc, char** argv)
{
    const Arguments args(argc, argv, {"help", "yes", "no-cache", "ledger"});
    if (args.has("help")) {
        std::cout << kForecloseUsage << "\n" << kNodeOptionsUsage << kSigningOptionsUsage << kLedgerOptionsUsage;
        return 0;
    }
    auto opened = signing_session(args, "foreclose", {"position", "loan-id", "journal", "registry"});
    if (auto* code = std::get_if<int>(&opened)) return *code;
    auto& session = std::get<SigningSession>(opened);
    auto& setup = session.setup;
    auto& client = *session.client;
    std::unique_ptr<wallet::Signer>* signer = &session.signer;
    const std::optional<std::uint64_t> head = session.head;
    const auto fail_with = [](int code, const std::string& why) {
        std::cerr << "nftterm-cli: foreclose: " << why << "\n";
        return code;
    };
    std::string id_text = args.value("loan-id").value_or("");
    if (const auto position = args.value("position")) {
        if (position->rfind("nftfi:", 0) != 0 || position->rfind(':') == std::string::npos) return fail_with(2, "--position: an NFTfi position id (nftfi:LOANS:ID)");
        id_text = position->substr(position->rfind(':') + 1);
    }
    const auto loan_id = wallet::U256::from_dec(id_text);
    if (id_text.empty() || !loan_id || !loan_id->to_u64() || *loan_id->to_u64() > 0xFFFFFFFFULL) return fail_with(2, "needs --position nftfi:LOANS:ID or --loan-id N");
    auto plan = actions::plan_foreclose(client, setup.registry, (*signer)->address(), static_cast<std::uint32_t>(*loan_id->to_u64()), *head);
    if (!plan) return fail_with(1, plan.error().message() + " — nothing is signed");
    std::cerr << "Foreclose on " << plan->loans.to_hex() << ", signed by " << (*signer)->description() << " on chain " << setup.registry.chain_id << ":\n";
    for (std::size_t i = 0; i < plan->plan.calls.size(); ++i) std::cerr << "  " << i + 1 << ". " << plan->plan.calls[i].description << "\n";
    if (!confirmed(args, "foreclose")) return 1;
    json out{{"action", "foreclose"}, {"loanId", plan->loan_id}, {"collection", plan->collection.to_hex()}, {"tokenId", plan->token_id.to_dec()},
             {"borrower", plan->borrower.to_hex()}, {"maturity", plan->maturity}};
    std::string failure;
    const bool landed = send_trade(client, **signer, args, setup.registry.chain_id, plan->plan.calls, out, failure);
    std::cout << out.dump(2) << "\n";
    return landed ? 0 : fail_with(1, failure);
}

}  // namespace nftterm::cli
