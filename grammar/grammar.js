/**
 * Tree-sitter grammar for Crosswalk `.xwalk` mapping files.
 *
 * The grammar is deliberately permissive where the meaning is semantic
 * (which field names exist, which values are allowed, whether a document id
 * is lowercase): those are checked by `xwalk check`, so that a file with a
 * small mistake still parses into a full tree and gets a precise diagnostic.
 * See docs/format.md for the specification.
 *
 * server/src/syntax/parser/ reads every file by hand (the AST and the syntax
 * errors), following this grammar: a change here needs the same change
 * there (server/tests/fast_parse.rs compares the two, piece by piece).
 */

// A bare token: document ids, provision ids, field names and bare values.
const WORD = /[A-Za-z0-9_][A-Za-z0-9._\-]*/;
// A one-line string with escapes. Raw line ends (`\n`, `\r`) are not
// allowed, so an unterminated string ends at the end of its line for error
// recovery. A line ends at `\n`, `\r\n` or a lone `\r`, as the Language
// Server Protocol counts lines (server/src/syntax/lines.rs).
const STRING = /"([^"\\\r\n]|\\[^\r\n])*"/;

module.exports = grammar({
  name: 'xwalk',

  extras: $ => [/\s/, $.comment],

  word: $ => $.identifier,

  rules: {
    source_file: $ => repeat(choice($.document, $.map)),

    comment: _ => token(seq('#', /[^\r\n]*/)),

    // document ID { fields, clauses, provisions }
    document: $ => seq(
      'document',
      field('id', $.identifier),
      field('body', $.block),
    ),

    // clause ID ["title"] { ... }
    clause: $ => seq(
      'clause',
      field('id', $._id),
      optional(field('title', $._string)),
      optional(field('body', $.block)),
    ),

    // provision ID ["title"] { ... }
    provision: $ => seq(
      'provision',
      field('id', $._id),
      optional(field('title', $._string)),
      optional(field('body', $.block)),
    ),

    // map SOURCE -> TARGET, ... { ... }
    map: $ => seq(
      'map',
      field('source', $._endpoint),
      '->',
      field('targets', $.targets),
      optional(field('body', $.block)),
    ),

    targets: $ => seq($._endpoint, repeat(seq(',', $._endpoint))),

    block: $ => seq(
      '{',
      repeat(choice($.field, $.clause, $.provision)),
      '}',
    ),

    // NAME VALUE, VALUE, ...
    field: $ => seq(
      field('name', $.identifier),
      field('value', $._value),
      repeat(seq(',', field('value', $._value))),
    ),

    _value: $ => choice($.reference, $.identifier, $._string),

    _endpoint: $ => choice($.reference, $.identifier),

    // DOC:ID or DOC:"quoted id", written without spaces.
    reference: $ => seq(
      field('document', $.identifier),
      token.immediate(':'),
      field('id', choice(
        alias(token.immediate(WORD), $.identifier),
        alias(token.immediate(STRING), $.string),
      )),
    ),

    _id: $ => choice($.identifier, $.string),

    _string: $ => choice($.string, $.block_string),

    identifier: _ => WORD,

    string: _ => token(STRING),

    // """...""" block: raw text, no escapes; see docs/format.md for how
    // indentation is stripped.
    block_string: _ => token(seq(
      '"""',
      repeat(choice(/[^"]/, /"[^"]/, /""[^"]/)),
      '"""',
    )),
  },
});
