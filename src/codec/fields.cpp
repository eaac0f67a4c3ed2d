// The one blank() that is no template: the placeholder a PhoneNumber starts from, because
// PhoneNumber has no default. Defined here rather than in fields.hpp so that there is one
// definition, and one placeholder, for every file that reads.

#include "fields.hpp"

namespace calltrack::codec_detail {

PhoneNumber blank(Tag<PhoneNumber>) {
    static const PhoneNumber placeholder = PhoneNumber::parse("+10000000000").value();
    return placeholder;
}

}  // namespace calltrack::codec_detail
