// Package pickle decodes the pickles Python's logging.handlers.SocketHandler
// and DatagramHandler send (pickle.dumps(dict, 1) of a LogRecord's
// attributes), and nothing more dangerous: the opcodes that build a dict,
// list, tuple or set of plain values (None, bools, integers, floats, text,
// bytes), with the memo, in protocols 0 to 5.
//
// # What it refuses
//
// Every opcode that names or calls a Python object (GLOBAL, STACK_GLOBAL,
// REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX, the EXT codes, persistent
// ids, out-of-band buffers) is refused with ErrUnsupported: nothing is ever
// executed. A record whose extra field holds an object of a user's class is
// therefore refused whole, where Python's receiver would import the class.
//
// # Bounds
//
// The input is untrusted. Lengths are checked against the bytes that
// remain, large integers are bounded, the number of values a pickle stands
// for (memo references counted again each time) is bounded by its size,
// and nesting is bounded by MaxDepth, which also refuses cycles. Decode never
// panics; its fuzz target keeps it so.
package pickle
