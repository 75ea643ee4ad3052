#pragma once

#include "translation.h"

#include <string_view>

namespace km::cloudwarnings {

// What segment-cloud tells the user, shared by its staged route and its wire route
// (CloudWireRoute), so the two cannot drift apart.

void prefixDefault(Translation &out);
void channelNotServer(Translation &out);
void productsRemoved(Translation &out);
// `source`: the path of the value that became revenue ("properties.total").
void revenueFromTotal(Translation &out, std::string_view source);
void orderWithoutProducts(Translation &out);
void orderProductsWithoutPerson(Translation &out);
// `label`: the page's name or category as JavaScript prints it ("undefined" when missing).
void pageWithoutName(Translation &out, std::string_view label, std::string_view word);
void identifyAlias(Translation &out);
void groupTraitCase(Translation &out);

} // namespace km::cloudwarnings
