// FoldCase: Unicode full case folding, the comparison form of book search.
#include "common/case_fold.h"

#include <gtest/gtest.h>

namespace bookstore {
namespace {

TEST(CaseFold, AsciiIsLowerCasedAndEverythingElseKept) {
  EXPECT_EQ(FoldCase("The Dragon REBORN 50%_!-~"), "the dragon reborn 50%_!-~");
  EXPECT_EQ(FoldCase(""), "");
  EXPECT_TRUE(IsAscii("Plain Text 123"));
  EXPECT_FALSE(IsAscii("\xc3\x96konomie"));
}

TEST(CaseFold, FoldsLatinGreekCyrillicAndBeyond) {
  EXPECT_EQ(FoldCase("\xc3\x96KONOMIE"), "\xc3\xb6konomie");  // ÖKONOMIE -> ökonomie
  EXPECT_EQ(FoldCase("\xc3\xb6konomie"), "\xc3\xb6konomie");  // already folded
  EXPECT_EQ(FoldCase("\xc3\x89"
                     "DITIONS"),
            "\xc3\xa9"
            "ditions");                                            // É
  EXPECT_EQ(FoldCase("\xc4\x80\xc4\x81"), "\xc4\x81\xc4\x81");     // Ā ā (stride-2 run)
  EXPECT_EQ(FoldCase("\xd0\x9a\xd0\x9d\xd0\x98\xd0\x93\xd0\x90"),  // КНИГА
            "\xd0\xba\xd0\xbd\xd0\xb8\xd0\xb3\xd0\xb0");           // книга
  EXPECT_EQ(FoldCase("\xd0\x81"), "\xd1\x91");                     // Ё -> ё (+80)
  EXPECT_EQ(FoldCase("\xce\xa3"), "\xcf\x83");                     // Σ -> σ
  EXPECT_EQ(FoldCase("\xcf\x82"), "\xcf\x83");                     // final ς -> σ
  EXPECT_EQ(FoldCase("\xe1\xba\x9e"), "ss");                       // ẞ capital sharp s
  EXPECT_EQ(FoldCase("\xef\xbc\xa1"), "\xef\xbd\x81");             // fullwidth Ａ -> ａ
  EXPECT_EQ(FoldCase("\xf0\x90\x90\x80"), "\xf0\x90\x90\xa8");     // Deseret 𐐀 -> 𐐨
  EXPECT_EQ(FoldCase("\xe1\x8f\xb8"), "\xe1\x8f\xb0");             // Cherokee ᏸ -> Ᏸ
}

TEST(CaseFold, FullFoldingMayLengthen) {
  EXPECT_EQ(FoldCase("Stra\xc3\x9f"
                     "e"),
            "strasse");                                         // ß -> ss
  EXPECT_EQ(FoldCase("\xc4\xb0"), "i\xcc\x87");                 // İ -> i + dot above
  EXPECT_EQ(FoldCase("\xef\xac\x83"), "ffi");                   // ﬃ ligature
  EXPECT_EQ(FoldCase("\xce\x90"), "\xce\xb9\xcc\x88\xcc\x81");  // ΐ: three code points
}

TEST(CaseFold, NoNormalisation) {
  // O + combining diaeresis: the O folds, the mark stays; not composed to ö.
  EXPECT_EQ(FoldCase("O\xcc\x88"), "o\xcc\x88");
}

TEST(CaseFold, MalformedBytesAreKept) {
  EXPECT_EQ(FoldCase("A\xff"
                     "B"),
            "a\xff"
            "b");
  EXPECT_EQ(FoldCase("\xc3"), "\xc3");                          // truncated
  EXPECT_EQ(FoldCase("\xc0\x81"), "\xc0\x81");                  // overlong
  EXPECT_EQ(FoldCase("\xed\xa0\x80"), "\xed\xa0\x80");          // surrogate
  EXPECT_EQ(FoldCase("\xf4\x90\x80\x80"), "\xf4\x90\x80\x80");  // above U+10FFFF
  EXPECT_EQ(FoldCase("\xc3\x96\x80Z"), "\xc3\xb6\x80z");        // stray continuation
}

TEST(CaseFold, IsIdempotentOverEveryCodePoint) {
  for (uint32_t cp = 0x80; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string s;
    if (cp < 0x800) {
      s = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else if (cp < 0x10000) {
      s = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
           static_cast<char>(0x80 | (cp & 0x3F))};
    } else {
      s = {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
           static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    }
    const std::string once = FoldCase(s);
    ASSERT_EQ(FoldCase(once), once) << "U+" << std::hex << cp;
  }
}

}  // namespace
}  // namespace bookstore
