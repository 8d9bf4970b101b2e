-- SEARCH: GET /books?q=<word>&page_size=20, the word picked at random from
-- BENCH_SEARCH_WORDS (comma separated, lower case: the catalogue is
-- capitalised, so every query exercises case-insensitive matching).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local words = {}
for w in string.gmatch(os.getenv("BENCH_SEARCH_WORDS") or "dragon", "[^,]+") do
  table.insert(words, w)
end
function init(args)
  seed_random()
  pregenerate(#words, function(i)
    return wrk.format("GET", "/books?q=" .. words[i] .. "&page_size=20")
  end)
end
function request() return wrk.format("GET", "/books?q=dragon&page_size=20") end
