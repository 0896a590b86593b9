-- condition.lua -- break conditions: which tier evaluates one, and the
-- runtime filter program of the compiled tier.
--
-- A condition is a Lua expression over the model (g, m, p, sched, ev). This
-- module parses it (a Lua 5.4 expression parser) and picks the cheapest
-- tier that gives the same answer as Lua on the same state:
--
--   runtime  compiled into the stack program the runtime's hooks run
--            (overlay/runtime/gosched_filter.go) without stopping anything;
--   event    Lua, evaluated from the event alone: the runtime's light
--            "check" (only the thread that saw the event waits);
--   stop     Lua, on the full snapshot (the whole program frozen).
--
-- The runtime tier covers fields of the event's G, P and M, of p[i] and of
-- sched, run-queue lengths, integer and string constants, comparisons and
-- and/or/not. Values there follow Lua's rules (see gosched_filter.go), and
-- the compiler only emits what keeps both tiers equal: a goroutine or P
-- (ev.g, ev.p) may only be tested against nil, an index of p must not be
-- one, ev.g.parent is nil rather than 0 for "no parent", floats that are
-- not integers stay in Lua. Anything else is Lua: M.analyze says why.
--
--   local c = require "condition"
--   c.analyze('#p[1].runq > 100')
--     --> {tier = "runtime", program = "k:1 ldp:#p.runq k:100 gt", ...}
--   c.analyze('ev.g.startfn:match("^main%.")')
--     --> {tier = "event", why = "a function call"}
--   c.load('ev.g.id == 5')   --> function(env) ... end, or nil, error
--
-- Strings compare byte-wise in the runtime; Lua compares them with
-- strcoll, the same in the C locale (which gosched-repl does not change).

local M = {}

-- ------------------------------------------------------------------ lexer

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local
	nil not or repeat return then true until while]]):gmatch("%a+") do
	keywords[w] = true
end

-- Operators, longest first (the lexer tries them in this order).
local symbols = { "...", "..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::",
	"+", "-", "*", "/", "%", "^", "#", "&", "~", "|", "<", ">", "=", "(", ")",
	"{", "}", "[", "]", ";", ":", ",", "." }

-- The end of the long bracket that opens at s:sub(i) ("[[", "[==["), or nil.
local function long_bracket_end(s, i)
	local eqs = s:match("^%[(=*)%[", i)
	if not eqs then
		return nil
	end
	local _, e = s:find("]" .. eqs .. "]", i + #eqs + 2, true)
	return e or error("unfinished long bracket", 0)
end

-- The end of the quoted string that starts at s:sub(i).
local function quoted_end(s, i)
	local q, j = s:sub(i, i), i + 1
	while j <= #s do
		local c = s:sub(j, j)
		if c == "\\" then
			j = j + 2
		elseif c == q then
			return j
		else
			j = j + 1
		end
	end
	error("unfinished string", 0)
end

-- The end of the numeral at s:sub(i), by Lua's own rule (llex.c read_numeral).
local function numeral_end(s, i)
	local expo = s:match("^0[xX]", i) and "[pP]" or "[eE]"
	local j = i
	if expo == "[pP]" then
		j = i + 2
	end
	while j <= #s do
		local c = s:sub(j, j)
		if c:match(expo) and s:sub(j + 1, j + 1):match("[-+]") then
			j = j + 2
		elseif c:match("[%x.]") then
			j = j + 1
		else
			break
		end
	end
	return j - 1
end

-- Split src into tokens {t = kind, v = value}; kinds: name, keyword, number,
-- string, symbol, eof. The source has passed load(), so this only needs to
-- cut it where Lua does.
local function lex(src)
	local toks, i = {}, 1
	while true do
		local _, ws = src:find("^%s*", i)
		i = ws + 1
		if i > #src then
			break
		end
		local c = src:sub(i, i)
		if src:match("^%-%-", i) then
			local e = long_bracket_end(src, i + 2)
			i = (e or src:find("\n", i, true) or #src) + 1
		elseif c:match("[%a_]") then
			local w = src:match("^[%w_]+", i)
			toks[#toks + 1] = { t = keywords[w] and "keyword" or "name", v = w, p = i, q = i + #w - 1 }
			i = i + #w
		elseif c:match("%d") or src:match("^%.%d", i) then
			local e = numeral_end(src, i)
			toks[#toks + 1] = { t = "number", v = tonumber(src:sub(i, e)), p = i, q = e }
			i = e + 1
		elseif c == '"' or c == "'" or src:match("^%[=*%[", i) then
			local e = (c == "[") and long_bracket_end(src, i) or quoted_end(src, i)
			toks[#toks + 1] = { t = "string", v = load("return " .. src:sub(i, e))(), p = i, q = e }
			i = e + 1
		else
			local sym
			for _, s in ipairs(symbols) do
				if src:sub(i, i + #s - 1) == s then
					sym = s
					break
				end
			end
			if not sym then
				error("unexpected character " .. c, 0)
			end
			toks[#toks + 1] = { t = "symbol", v = sym, p = i, q = i + #sym - 1 }
			i = i + #sym
		end
	end
	toks[#toks + 1] = { t = "eof", v = "<eof>" }
	return toks
end

-- ----------------------------------------------------------------- parser

-- Binary operators: left and right priority (lparser.c).
local binary = {
	["or"] = { 1, 1 }, ["and"] = { 2, 2 },
	["<"] = { 3, 3 }, [">"] = { 3, 3 }, ["<="] = { 3, 3 }, [">="] = { 3, 3 },
	["~="] = { 3, 3 }, ["=="] = { 3, 3 },
	["|"] = { 4, 4 }, ["~"] = { 5, 5 }, ["&"] = { 6, 6 }, ["<<"] = { 7, 7 }, [">>"] = { 7, 7 },
	[".."] = { 9, 8 }, ["+"] = { 10, 10 }, ["-"] = { 10, 10 },
	["*"] = { 11, 11 }, ["/"] = { 11, 11 }, ["//"] = { 11, 11 }, ["%"] = { 11, 11 },
	["^"] = { 14, 13 },
}
local UNARY = 12

-- A recursive-descent parser over the tokens. Nodes: {k = "nil"|"true"|
-- "false"|"number"|"string"|"vararg"|"name"|"index"|"call"|"method"|"paren"|
-- "binop"|"unop"|"table"|"function", ...}. A function literal is not parsed
-- (its body is statements): it is a node of its own that keeps the
-- condition in the stop tier. A node parsed as an expression also has p
-- and q, where its text starts and ends in the source.
local Parser = {}
Parser.__index = Parser

function Parser:peek() return self.toks[self.i] end

function Parser:next()
	local t = self.toks[self.i]
	self.i = self.i + 1
	return t
end

function Parser:is(v)
	local t = self.toks[self.i]
	return (t.t == "symbol" or t.t == "keyword") and t.v == v
end

function Parser:expect(v)
	if not self:is(v) then
		error("expected " .. v .. " near " .. tostring(self:peek().v), 0)
	end
	self:next()
end

function Parser:name()
	local t = self:next()
	if t.t ~= "name" then
		error("expected a name near " .. tostring(t.v), 0)
	end
	return t.v
end

function Parser:explist()
	local list = { self:expr() }
	while self:is(",") do
		self:next()
		list[#list + 1] = self:expr()
	end
	return list
end

function Parser:constructor()
	self:expect("{")
	local node = { k = "table", items = {} }
	while not self:is("}") do
		local item = {}
		if self:is("[") then
			self:next()
			item.key = self:expr()
			self:expect("]")
			self:expect("=")
		elseif self:peek().t == "name" and self.toks[self.i + 1].v == "=" then
			item.key = { k = "string", v = self:name() }
			self:expect("=")
		end
		item.value = self:expr()
		node.items[#node.items + 1] = item
		if not (self:is(",") or self:is(";")) then
			break
		end
		self:next()
	end
	self:expect("}")
	return node
end

function Parser:args()
	local t = self:peek()
	if t.t == "string" then
		self:next()
		return { { k = "string", v = t.v } }
	elseif self:is("{") then
		return { self:constructor() }
	end
	self:expect("(")
	local list = self:is(")") and {} or self:explist()
	self:expect(")")
	return list
end

function Parser:primary()
	local t = self:peek()
	if t.t == "name" then
		self:next()
		return { k = "name", v = t.v }
	end
	self:expect("(")
	local e = self:expr()
	self:expect(")")
	return { k = "paren", e = e }
end

function Parser:suffixed()
	local e = self:primary()
	while true do
		if self:is(".") then
			self:next()
			e = { k = "index", obj = e, key = { k = "string", v = self:name() } }
		elseif self:is("[") then
			self:next()
			e = { k = "index", obj = e, key = self:expr() }
			self:expect("]")
		elseif self:is(":") then
			self:next()
			local name = self:name()
			e = { k = "method", obj = e, name = name, args = self:args() }
		elseif self:is("(") or self:is("{") or self:peek().t == "string" then
			e = { k = "call", f = e, args = self:args() }
		else
			return e
		end
	end
end

function Parser:simple()
	local t = self:peek()
	if t.t == "number" then
		self:next()
		return { k = "number", v = t.v }
	elseif t.t == "string" then
		self:next()
		return { k = "string", v = t.v }
	elseif t.t == "keyword" and (t.v == "nil" or t.v == "true" or t.v == "false") then
		self:next()
		return { k = t.v }
	elseif self:is("...") then
		self:next()
		return { k = "vararg" }
	elseif self:is("{") then
		return self:constructor()
	elseif self:is("function") then
		-- Skip to the matching end: the body is not analysed.
		local depth = 0
		repeat
			local w = self:next()
			if w.t == "keyword" and (w.v == "function" or w.v == "do" or w.v == "if"
				or w.v == "repeat") then
				depth = depth + 1
			elseif w.t == "keyword" and (w.v == "end" or w.v == "until") then
				depth = depth - 1
			elseif w.t == "eof" then
				error("unfinished function", 0)
			end
		until depth == 0
		return { k = "function" }
	end
	return self:suffixed()
end

function Parser:expr(limit)
	limit = limit or 0
	local e
	local t = self:peek()
	if (t.t == "keyword" and t.v == "not") or (t.t == "symbol" and
		(t.v == "-" or t.v == "#" or t.v == "~")) then
		self:next()
		e = { k = "unop", op = t.v, e = self:expr(UNARY) }
	else
		e = self:simple()
	end
	while true do
		e.p, e.q = t.p, self.toks[self.i - 1].q
		local op = self:peek()
		local prio = (op.t == "symbol" or op.t == "keyword") and binary[op.v]
		if not prio or prio[1] <= limit then
			return e
		end
		self:next()
		e = { k = "binop", op = op.v, a = e, b = self:expr(prio[2]) }
	end
end

-- Parse SRC as one expression: the tree, or nil and why not.
local function parse(src)
	local ok, res = pcall(function()
		local p = setmetatable({ toks = lex(src), i = 1 }, Parser)
		local e = p:expr()
		if p:peek().t ~= "eof" then
			error("unexpected " .. tostring(p:peek().v), 0)
		end
		return e
	end)
	if ok then
		return res
	end
	return nil, res
end

-- ------------------------------------------------------- the model's paths

-- The dotted path an expression names ("ev.g.status", "sched.npidle"), if
-- it is a global followed by constant-string keys; for p[E].f, the path
-- "p[].f" and the index expression E.
local function path_of(e)
	if e.k == "name" then
		return e.v
	end
	if e.k ~= "index" then
		return nil
	end
	local o = e.obj
	if o.k == "index" and o.obj.k == "name" and o.obj.v == "p" and e.key.k == "string" then
		return "p[]." .. e.key.v, o.key -- p[E].field
	end
	if o.k == "name" and o.v == "p" then
		return "p[i]", e.key
	end
	if e.key.k ~= "string" or not e.key.v:match("^[%a_][%w_]*$") then
		return nil
	end
	local base, idx = path_of(o)
	if not base then
		return nil
	end
	return base .. "." .. e.key.v, idx
end

-- Value types, as sets: n(il) b(oolean) i(nteger) s(tring) r(eference: a
-- goroutine or P, an id in the runtime, a table in Lua).
local T = { nil_ = "n", bool = "b", int = "i", str = "s", ref = "r" }

-- Paths the runtime can load: the runtime's field name and the types.
local fields = {
	["ev.kind"] = { "ev.kind", "s" },
	["ev.g"] = { "ev.g", "rn" },
	["ev.g.id"] = { "ev.g.id", "i" },
	["ev.g.status"] = { "ev.g.status", "s" },
	["ev.g.waitreason"] = { "ev.g.waitreason", "sn" },
	["ev.g.startfn"] = { "ev.g.startfn", "sn" },
	["ev.g.createdby"] = { "ev.g.createdby", "sn" },
	["ev.g.parent"] = { "ev.g.parent", "in", parent = true },
	["ev.g.system"] = { "ev.g.system", "b" },
	["ev.p"] = { "ev.p", "rn" },
	["ev.p.id"] = { "ev.p.id", "i" },
	["ev.p.status"] = { "ev.p.status", "s" },
	["ev.p.schedtick"] = { "ev.p.schedtick", "i" },
	["#ev.p.runq"] = { "#ev.p.runq", "i" },
	["ev.p.timers"] = { "ev.p.timers", "i" },
	["ev.m.id"] = { "ev.m.id", "i" },
	["ev.m.procid"] = { "ev.m.procid", "i" },
	["ev.m.spinning"] = { "ev.m.spinning", "b" },
	["ev.waitreason"] = { "ev.waitreason", "sn" },
	["ev.from.id"] = { "ev.from.id", "i" },
	["sched.ngoroutines"] = { "sched.ngoroutines", "i" },
	["sched.npidle"] = { "sched.npidle", "i" },
	["sched.nmspinning"] = { "sched.nmspinning", "i" },
	["sched.nmidle"] = { "sched.nmidle", "i" },
	["sched.nmsys"] = { "sched.nmsys", "i" },
	["sched.gomaxprocs"] = { "sched.gomaxprocs", "i" },
	["sched.goidgen"] = { "sched.goidgen", "i" },
	["#sched.runq"] = { "#sched.runq", "i" },
	["sched.gcwaiting"] = { "sched.gcwaiting", "b" },
	["sched.stopwait"] = { "sched.stopwait", "i" },
	["p[].status"] = { "p.status", "s", p = true },
	["#p[].runq"] = { "#p.runq", "i", p = true },
	["p[].schedtick"] = { "p.schedtick", "i", p = true },
	["p[].syscalltick"] = { "p.syscalltick", "i", p = true },
	["p[].timers"] = { "p.timers", "i", p = true },
	["p[].gfree"] = { "p.gfree", "i", p = true },
}
M.fields = fields

-- Limits of a runtime program (gosched_filter.go) and of a command line.
local MAX_PROG, MAX_STACK, MAX_POOL, MAX_LINE = 96, 32, 1024, 3800
local MAX_INT = 1 << 40 -- the runtime parses constants up to about 2^40

-- ---------------------------------------------------------- the compiler

-- Type-set helpers: sets are strings of the letters above.
local function has(set, c) return set:find(c, 1, true) ~= nil end

local function union(a, b)
	local r = a
	for c in b:gmatch(".") do
		if not has(r, c) then
			r = r .. c
		end
	end
	return r
end

local function without(set, c) return (set:gsub(c, "")) end

local function falsy_part(set) -- the values of SET that are nil or false
	return (has(set, "n") and "n" or "") .. (has(set, "b") and "b" or "")
end

-- Hex of a string's bytes, lowercase (the runtime's s: constants).
local function hex(s)
	return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- The compiler's state: the tokens and the constant pool used.
local Compiler = {}
Compiler.__index = Compiler

local function nocompile(why) error({ why = why }, 0) end

function Compiler:emit(tok) self.out[#self.out + 1] = tok end

-- An integer constant the runtime can hold, or nil.
local function int_const(v)
	local i = math.tointeger(v)
	if i and i > -MAX_INT and i < MAX_INT then
		return i
	end
end

-- A field load: emit it, return its types.
function Compiler:field(path, idx)
	local f = fields[path]
	if not f then
		if not path:find("[.#]") then
			nocompile("the global " .. path)
		elseif path == "p[i]" then
			nocompile("p[i] itself (only its fields)")
		end
		local what = path:gsub("^p%[%]", "p[i]")
		nocompile(what .. " is not in the runtime")
	end
	if f.p then
		local t = self:expr(idx)
		if has(t, "r") then
			nocompile("a goroutine or P used as an index of p")
		end
		self:emit("ldp:" .. f[1])
	elseif f.parent then
		-- 0 means "no parent" in the runtime, nil in Lua: (x ~= 0 and x) or nil
		self:emit("ld:ev.g.parent"); self:emit("k:0"); self:emit("ne"); self:emit("jf:1")
		self:emit("ld:ev.g.parent"); self:emit("jt:1"); self:emit("nil")
	else
		self:emit("ld:" .. f[1])
	end
	return f[2]
end

-- Compile expression E; returns its type set. Raises {why = ...} when the
-- runtime cannot evaluate it the way Lua would.
function Compiler:expr(e)
	local k = e.k
	if k == "nil" then
		self:emit("nil")
		return "n"
	elseif k == "true" or k == "false" then
		self:emit(k == "true" and "t" or "f")
		return "b"
	elseif k == "number" then
		local i = int_const(e.v)
		if not i then
			nocompile("the number " .. tostring(e.v))
		end
		self:emit("k:" .. i)
		return "i"
	elseif k == "string" then
		self.pool = self.pool + #e.v
		self:emit("s:" .. hex(e.v))
		return "s"
	elseif k == "paren" then
		return self:expr(e.e)
	elseif k == "unop" then
		return self:unop(e)
	elseif k == "binop" then
		return self:binop(e)
	elseif k == "index" or k == "name" then
		local path, idx = path_of(e)
		if not path then
			nocompile("this indexing")
		end
		return self:field(path, idx)
	elseif k == "call" or k == "method" then
		nocompile("a function call")
	elseif k == "function" then
		nocompile("a function")
	elseif k == "table" then
		nocompile("a table constructor")
	end
	nocompile(k)
end

function Compiler:unop(e)
	if e.op == "not" then
		self:expr(e.e)
		self:emit("not")
		return "b"
	elseif e.op == "#" then
		local path, idx = path_of(e.e)
		if not path or not fields["#" .. path] then
			nocompile("this length")
		end
		return self:field("#" .. path, idx)
	elseif e.op == "-" and e.e.k == "number" then
		local i = int_const(-e.e.v)
		if not i then
			nocompile("the number -" .. tostring(e.e.v))
		end
		self:emit("k:" .. i)
		return "i"
	end
	nocompile("arithmetic (" .. e.op .. ")")
end

local cmp_ops = { ["=="] = "eq", ["~="] = "ne", ["<"] = "lt", ["<="] = "le", [">"] = "gt",
	[">="] = "ge" }

-- The jump instruction's slot is emitted first and patched with the length
-- of the right operand.
function Compiler:logical(e)
	local a = self:expr(e.a)
	local at = #self.out + 1
	self:emit("?")
	local b = self:expr(e.b)
	local n = #self.out - at
	if e.op == "and" then
		self.out[at] = "jf:" .. n
		return union(falsy_part(a), b)
	end
	self.out[at] = "jt:" .. n
	return union(without(a, "n"), b)
end

function Compiler:binop(e)
	if e.op == "and" or e.op == "or" then
		return self:logical(e)
	end
	local op = cmp_ops[e.op]
	if not op then
		nocompile("the operator " .. e.op)
	end
	local a = self:expr(e.a)
	local b = self:expr(e.b)
	if op == "eq" or op == "ne" then
		-- A reference is a table in Lua and an id in the runtime: only
		-- nil, booleans and strings compare alike against it.
		if (has(a, "r") and (has(b, "i") or has(b, "r"))) or
			(has(b, "r") and (has(a, "i") or has(a, "r"))) then
			nocompile("a goroutine or P compared with something other than nil")
		end
	elseif has(a, "r") or has(b, "r") then
		nocompile("a goroutine or P compared with " .. e.op)
	end
	self:emit(op)
	return "b"
end

local pops = { eq = true, ne = true, lt = true, le = true, gt = true, ge = true, jf = true,
	jt = true }

-- The maximum stack depth of a token list (jumps counted as pops: an upper
-- bound, each operand nets one value).
local function stack_depth(toks)
	local d, max = 0, 0
	for _, t in ipairs(toks) do
		local op = t:match("^[^:]+")
		if op == "k" or op == "s" or op == "t" or op == "f" or op == "nil" or op == "ld" then
			d = d + 1
		elseif pops[op] then
			d = d - 1
		end
		max = math.max(max, d)
	end
	return max
end

-- Compile the tree E into a program (a string of tokens), or nil and why not.
local function compile(e)
	local c = setmetatable({ out = {}, pool = 0 }, Compiler)
	local ok, err = pcall(Compiler.expr, c, e)
	if not ok then
		if type(err) == "table" then
			return nil, err.why
		end
		error(err, 0)
	end
	if #c.out > MAX_PROG then
		return nil, "longer than the runtime's " .. MAX_PROG .. " instructions"
	end
	if stack_depth(c.out) > MAX_STACK then
		return nil, "deeper than the runtime's stack"
	end
	if c.pool > MAX_POOL then
		return nil, "more string constants than the runtime holds"
	end
	local prog = table.concat(c.out, " ")
	if #prog > MAX_LINE then
		return nil, "too long for the runtime"
	end
	return prog
end

-- The terms of E joined by `and`, left to right (through parentheses; a
-- term keeps its own, so that its text stands alone).
local function conjuncts(e, list)
	list = list or {}
	local inner = e
	while inner.k == "paren" do
		inner = inner.e
	end
	if inner.k == "binop" and inner.op == "and" then
		conjuncts(inner.a, list)
		conjuncts(inner.b, list)
	else
		list[#list + 1] = e
	end
	return list
end

-- The guard of a condition E (source SRC) that does not compile: its
-- longest run of leading `and` terms that does, as a program and as text,
-- or nil. Where the guard is false the condition is too (`and` yields it),
-- and nothing else of it is evaluated, in Lua either: the runtime tests
-- the guard at the event and asks Lua only where it holds or fails.
local function guard_of(e, src)
	local terms = conjuncts(e)
	local g, prog, text
	for i = 1, #terms - 1 do -- (all of them: the condition, which did not compile)
		local t = g and { k = "binop", op = "and", a = g, b = terms[i] } or terms[i]
		local p = compile(t)
		if not p then
			break
		end
		local s = src:sub(terms[i].p, terms[i].q)
		g, prog, text = t, p, text and text .. " and " .. s or s
	end
	return prog, text
end

-- --------------------------------------------------------- the event tier

-- Globals an event-tier condition may use besides ev (functions of pure values).
local safe_globals = { string = true, math = true, utf8 = true, tostring = true,
	tonumber = true, type = true }

-- The paths below ev that a light check carries exactly as the full model
-- has them: the event's scalars, its goroutine's, P's and M's. ev.g, ev.p,
-- ev.m, ev.from, ev.parent and ev.by themselves are "opaque": they may only
-- be tested (not, and's left side, == or ~= nil/true/false), because in a
-- check they are not linked to the rest of the scheduler.
local event_paths = {
	["ev.kind"] = true, ["ev.time"] = true, ["ev.waitreason"] = true, ["ev.reason"] = true,
	["ev.code"] = true,
	["ev.g.id"] = true, ["ev.g.status"] = true, ["ev.g.waitreason"] = true,
	["ev.g.waitsince"] = true, ["ev.g.since"] = true, ["ev.g.parent"] = true,
	["ev.g.startfn"] = true, ["ev.g.createdby"] = true, ["ev.g.createdat"] = true,
	["ev.g.system"] = true, ["ev.g.labels"] = true,
	["ev.p.id"] = true, ["ev.p.status"] = true, ["ev.p.schedtick"] = true,
	["ev.p.syscalltick"] = true, ["ev.p.gfree"] = true, ["ev.p.timers"] = true,
	["ev.m.id"] = true, ["ev.m.procid"] = true, ["ev.m.spinning"] = true,
	["ev.m.blocked"] = true, ["ev.m.incgo"] = true,
	["ev.from.id"] = true, ["ev.parent.id"] = true, ["ev.by.id"] = true,
}
local opaque_paths = { ["ev.g"] = true, ["ev.p"] = true, ["ev.m"] = true,
	["ev.from"] = true, ["ev.parent"] = true, ["ev.by"] = true }

-- Why E needs the full snapshot, or nil if a check is enough. TESTED: E is
-- only tested for truth or compared with nil/true/false.
local function needs_stop(e, tested)
	local k = e.k
	if k == "name" then
		if e.v == "ev" then
			return "ev itself"
		end
		return not safe_globals[e.v] and ("the global " .. e.v) or nil
	elseif k == "index" then
		local path = path_of(e)
		if path and path:match("^ev%.") then
			if event_paths[path] or (opaque_paths[path] and tested)
				or path:match("^ev%.g%.labels%.") then
				return nil
			end
			return path .. " (not in a light check)"
		end
		return needs_stop(e.obj, false) or needs_stop(e.key, false)
	elseif k == "unop" then
		if e.op == "#" and path_of(e.e) == "ev.p.runq" then
			return nil
		end
		return needs_stop(e.e, e.op == "not")
	elseif k == "binop" then
		local lit = { ["nil"] = true, ["true"] = true, ["false"] = true }
		if e.op == "==" or e.op == "~=" then
			return needs_stop(e.a, lit[e.b.k]) or needs_stop(e.b, lit[e.a.k])
		end
		return needs_stop(e.a, e.op == "and" or (e.op == "or" and tested))
			or needs_stop(e.b, (e.op == "and" or e.op == "or") and tested)
	elseif k == "paren" then
		return needs_stop(e.e, tested)
	elseif k == "call" then
		local why = needs_stop(e.f, false)
		for _, a in ipairs(e.args) do
			why = why or needs_stop(a, false)
		end
		return why
	elseif k == "method" then
		local why = needs_stop(e.obj, false)
		for _, a in ipairs(e.args) do
			why = why or needs_stop(a, false)
		end
		return why
	elseif k == "table" then
		for _, it in ipairs(e.items) do
			local why = (it.key and needs_stop(it.key, false)) or needs_stop(it.value, false)
			if why then
				return why
			end
		end
		return nil
	elseif k == "function" then
		return "a function"
	elseif k == "vararg" then
		return "..."
	end
	return nil -- constants
end

-- ------------------------------------------------------ field names

-- M.model (the REPL sets it) has each record's field names: g, p, m, sched,
-- ev. These are the references between records ("g*": a list of them).
local refs = {
	g = { m = "m", p = "p", lockedm = "m", parentg = "g", stack = "method" },
	p = { m = "m", runnext = "g", runq = "g*" },
	m = { p = "p", curg = "g", lockedg = "g" },
	sched = { runq = "g*", pidle = "p*", midle = "m*" },
	ev = { g = "g", p = "p", m = "m", parent = "g", by = "g", from = "p" },
}
local roots = { ev = "ev", sched = "sched", stop = "stop", g = "g*", p = "p*", m = "m*" }
local record_names = { g = "a goroutine", p = "a P", m = "an M", sched = "sched", ev = "ev",
	stop = "stop" }
local list_names = { g = "goroutines", p = "Ps", m = "Ms" }

-- The record E's value is ("g", "p", ...), if it is one; a field that its
-- record does not have raises { warn = ... }.
local function record_of(e)
	if e.k == "name" then
		return roots[e.v]
	elseif e.k == "paren" then
		return record_of(e.e)
	elseif e.k ~= "index" then
		return nil
	end
	local t = record_of(e.obj)
	if not t then
		return nil
	elseif t:sub(-1) == "*" then
		if e.key.k == "string" then -- g.status: the table of goroutines by id
			local root = e.obj.k == "name"
			error({ warn = string.format("%s is a list of %s (by %s), so its field \"%s\" is "
				.. "always nil%s", root and e.obj.v or "this", list_names[t:sub(1, -2)],
				root and "id" or "position", e.key.v,
				root and " (the event's own are ev.g, ev.p, ev.m)" or "") }, 0)
		end
		return t:sub(1, -2) -- g[5], p[0], ev.p.runq[1]
	elseif e.key.k ~= "string" then
		return nil
	end
	local names = M.model and M.model[t]
	if names and not names[e.key.v] and not (refs[t] and refs[t][e.key.v]) then
		local list = {}
		for k in pairs(names) do
			list[#list + 1] = k
		end
		table.sort(list)
		error({ warn = string.format("%s has no field \"%s\", so it is always nil here (%s: %s)",
			record_names[t], e.key.v, t == "ev" and "its fields" or "fields",
			table.concat(list, ", ")) }, 0)
	end
	local r = refs[t] and refs[t][e.key.v]
	return r ~= "method" and r or nil
end

-- The first field of a record that E names and the model does not have, as
-- a warning, or nil. (Not inside function literals: their names are theirs.)
local function unknown_field(e)
	if type(e) ~= "table" or e.k == "function" then
		return nil
	end
	if e.k == "index" then
		local ok, err = pcall(record_of, e)
		if not ok then
			if type(err) == "table" then
				return err.warn
			end
			error(err, 0)
		end
	end
	local keys = {} -- (in order, so that the first one said is always the same)
	for k, v in pairs(e) do
		if type(v) == "table" then
			keys[#keys + 1] = k
		end
	end
	table.sort(keys, function(x, y)
		if type(x) == type(y) then
			return x < y
		end
		return type(x) == "number"
	end)
	for _, k in ipairs(keys) do
		local w = unknown_field(e[k])
		if w then
			return w
		end
	end
	return nil
end

-- -------------------------------------------------------------- interface

-- Compile SRC into the Lua function that evaluates it: f(env) returns the
-- condition's value with env as its globals. Returns f, or nil and the
-- syntax error.
function M.load(src)
	if type(src) ~= "string" or not src:find("%S") then
		return nil, "empty condition"
	end
	-- the expression alone first, for error messages about it alone
	local ok, err = load("return " .. src, "=condition", "t")
	-- (one line, so that errors say condition:1:, unless a comment ends it)
	local nl = src:find("--", 1, true) and "\n" or ""
	local chunk, err2 = load("return function(_ENV) return (" .. src .. nl .. ") end",
		"=condition", "t")
	if not ok or not chunk then
		return nil, ((err or err2):gsub("^condition:%d+: ", ""))
	end
	return chunk()
end

-- How SRC is evaluated: {tier = "runtime"|"event"|"stop", program = the
-- runtime's tokens (when it can evaluate SRC), why = why it cannot, stop =
-- why a light check is not enough (nil when it is), guard and
-- guardprogram = what the runtime tests first when it cannot, as text and
-- as tokens (guard_of)}, or nil and the syntax error.
function M.analyze(src)
	local f, err = M.load(src)
	if not f then
		return nil, err
	end
	local tree, perr = parse(src)
	if not tree then
		local why = "not understood (" .. perr .. ")"
		return { tier = "stop", why = why, stop = why }
	end
	local prog, why = compile(tree)
	local stop = needs_stop(tree, true)
	local tier = prog and "runtime" or (stop and "stop" or "event")
	local guardprog, guard
	if not prog then
		guardprog, guard = guard_of(tree, src)
	end
	return { tier = tier, program = prog, why = why, stop = stop, warn = unknown_field(tree),
		guard = guard, guardprogram = guardprog }
end

M.parse = parse   -- for tests
M.hex = hex

return M
