#include "segmentcloudwarnings.h"

namespace km::cloudwarnings {

void prefixDefault(Translation &out)
{
    out.warn("prefix-default",
             "prefixProperties is not set: segment-cloud reads a missing value as off, while Segment's settings page "
             "shows it on.",
             "settings.prefixProperties");
}

void channelNotServer(Translation &out)
{
    out.warn("channel-not-server",
             "The public server integration accepted only messages whose channel is \"server\" (browser messages only "
             "through Segment's unbundled path).",
             "channel");
}

void productsRemoved(Translation &out)
{
    out.warn("products-removed",
             "segment-cloud removes \"products\" from every track; only order-completion events send one /s call "
             "per product.",
             "properties.products");
}

void revenueFromTotal(Translation &out, std::string_view source)
{
    out.warn("revenue-from-total",
             "No revenue: the event name matches /completed ?order/i, so \"total\" is sent as revenue and Billing "
             "Amount.",
             source);
}

void orderWithoutProducts(Translation &out)
{
    out.warn("order-without-products", "This order-completion event has no products array: only the /e call is sent.",
             "properties.products");
}

void orderProductsWithoutPerson(Translation &out)
{
    out.warn("order-products-without-person",
             "The per-product calls are built from userId only (not anonymousId), so without a userId they carry no "
             "_p and Kissmetrics cannot attribute them.",
             "userId");
}

void pageWithoutName(Translation &out, std::string_view label, std::string_view word)
{
    std::string message = "Neither name nor category is set: segment-cloud still records the event, literally named "
                          "\"Viewed ";
    message += label;
    message += ' ';
    message += word;
    message += "\".";
    out.warn("page-without-name", message, "name");
}

void identifyAlias(Translation &out)
{
    out.warn("identify-alias",
             "With both userId and anonymousId, segment-cloud also sends an /a alias call, on every identify.",
             "anonymousId");
}

void groupTraitCase(Translation &out)
{
    out.warn("group-trait-case",
             "Segment's documentation shows capitalised names such as \"Group - Name\"; the code keeps the trait's "
             "own case (\"Group - name\").",
             "traits");
}

} // namespace km::cloudwarnings
