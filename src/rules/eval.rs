//! CEL conditions: compiled once at load, checked against the fact schema, run per fact.
//!
//! The `cel` crate interprets without a type checker, so a misspelt field would simply never
//! match. We close that gap here: [`check`] walks the parsed expression with the type of every
//! variable in scope (`fact` is the rule's kind, a comprehension variable over
//! `fact.near_misses` is a `near_miss`, …) and rejects unknown fields, unknown variables and
//! unknown functions; then [`compile`] runs the condition once over the kind's `Default` fact and
//! requires a boolean, which catches most type errors (`fact.port > "80"`).

use std::collections::BTreeSet;

use cel::common::ast::{EntryExpr, Expr};
use cel::{Context, IdedExpr, Program, Value};

use super::schema::{self, KindSchema};

/// Functions a condition may call (CEL's standard library as the `cel` crate provides it).
const FUNCTIONS: [&str; 18] = [
    "contains",
    "size",
    "max",
    "min",
    "startsWith",
    "endsWith",
    "string",
    "bytes",
    "double",
    "int",
    "uint",
    "matches",
    "duration",
    "timestamp",
    "has",
    "exists",
    "all",
    "exists_one",
];

/// What is wrong with a condition, with the text to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CheckError {
    /// `fact.FIELD` (or `m.FIELD`) where the kind has no such field.
    UnknownField {
        field: String,
        kind: &'static str,
        known: String,
    },
    /// A field selected on something that is not an object (`fact.port.x`).
    NotAnObject { field: String },
    /// An identifier that is neither `fact` nor a comprehension variable.
    UnknownVariable { name: String },
    /// A function CEL does not provide.
    UnknownFunction { name: String },
    /// Syntax error at (line, column), both 1-based.
    Syntax {
        message: String,
        line: usize,
        column: usize,
    },
    /// Running over the default fact failed, or did not give a bool.
    Type { message: String },
}

#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Obj(&'static KindSchema),
    List(Box<Ty>),
    Str,
    Int,
    Double,
    Bool,
    Any,
}

impl Ty {
    fn name(&self) -> &'static str {
        match self {
            Ty::Obj(_) => "object",
            Ty::List(_) => "list",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Double => "double",
            Ty::Bool => "bool",
            Ty::Any => "any",
        }
    }

    fn scalar(&self) -> bool {
        matches!(self, Ty::Str | Ty::Int | Ty::Double | Ty::Bool)
    }

    fn numeric(&self) -> bool {
        matches!(self, Ty::Int | Ty::Double)
    }

    /// Whether two known types can meet in `==`, `<`, `+` (ints and doubles mix).
    fn compatible(&self, other: &Ty) -> bool {
        !(self.scalar() && other.scalar()) || self == other || (self.numeric() && other.numeric())
    }
}

fn ty_of(name: &str) -> Ty {
    if let Some(k) = schema::element_kind(name) {
        return Ty::List(Box::new(Ty::Obj(k)));
    }
    match name {
        "string" => Ty::Str,
        "int" => Ty::Int,
        "double" => Ty::Double,
        "bool" => Ty::Bool,
        "list<string>" => Ty::List(Box::new(Ty::Str)),
        _ => Ty::Any,
    }
}

struct Checker {
    scope: Vec<(String, Ty)>,
    errors: Vec<CheckError>,
    /// Top-level fact fields the condition reads (for "could not run" reporting).
    reads: BTreeSet<String>,
    fact_kind: &'static KindSchema,
}

impl Checker {
    fn lookup(&self, name: &str) -> Option<Ty> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    }

    fn check(&mut self, e: &IdedExpr) -> Ty {
        match &e.expr {
            Expr::Ident(name) => {
                if let Some(t) = self.lookup(name) {
                    t
                } else if name == "fact" {
                    Ty::Obj(self.fact_kind)
                } else if name.starts_with('@') {
                    Ty::Any
                } else {
                    self.errors
                        .push(CheckError::UnknownVariable { name: name.clone() });
                    Ty::Any
                }
            }
            Expr::Select(sel) => {
                let operand = self.check(&sel.operand);
                if let (Expr::Ident(n), Ty::Obj(k)) = (&sel.operand.expr, &operand)
                    && n == "fact"
                    && std::ptr::eq(*k, self.fact_kind)
                {
                    self.reads.insert(sel.field.clone());
                }
                match operand {
                    Ty::Obj(k) => match k.field(&sel.field) {
                        Some(f) => ty_of(f.ty),
                        None => {
                            self.errors.push(CheckError::UnknownField {
                                field: sel.field.clone(),
                                kind: k.kind,
                                known: k.field_names(),
                            });
                            Ty::Any
                        }
                    },
                    Ty::Any => Ty::Any,
                    _ => {
                        self.errors.push(CheckError::NotAnObject {
                            field: sel.field.clone(),
                        });
                        Ty::Any
                    }
                }
            }
            Expr::Call(call) => {
                // A method's receiver (`fact.x.contains(…)`) is checked for its fields; the
                // result type depends on the function alone.
                if let Some(t) = &call.target {
                    self.check(t);
                }
                let args: Vec<Ty> = call.args.iter().map(|a| self.check(a)).collect();
                let name = call.func_name.as_str();
                let operator =
                    name.starts_with('_') || name.starts_with('@') || name == "!_" || name == "-_";
                if !operator && !FUNCTIONS.contains(&name) {
                    self.errors.push(CheckError::UnknownFunction {
                        name: name.to_owned(),
                    });
                }
                self.call_type(name, &args)
            }
            Expr::Comprehension(c) => {
                let range = self.check(&c.iter_range);
                let elem = match range {
                    Ty::List(inner) => *inner,
                    _ => Ty::Any,
                };
                self.check(&c.accu_init);
                let depth = self.scope.len();
                self.scope.push((c.iter_var.clone(), elem));
                if let Some(v2) = &c.iter_var2 {
                    self.scope.push((v2.clone(), Ty::Any));
                }
                self.scope.push((c.accu_var.clone(), Ty::Any));
                self.check(&c.loop_cond);
                self.check(&c.loop_step);
                self.check(&c.result);
                self.scope.truncate(depth);
                Ty::Any
            }
            Expr::List(l) => {
                for el in &l.elements {
                    self.check(el);
                }
                Ty::List(Box::new(Ty::Any))
            }
            Expr::Map(m) => {
                for en in &m.entries {
                    self.check_entry(&en.expr);
                }
                Ty::Any
            }
            Expr::Struct(s) => {
                for en in &s.entries {
                    self.check_entry(&en.expr);
                }
                Ty::Any
            }
            Expr::Literal(v) => {
                use cel::common::value::CelVal;
                match v {
                    CelVal::String(_) => Ty::Str,
                    CelVal::Int(_) | CelVal::UInt(_) => Ty::Int,
                    CelVal::Double(_) => Ty::Double,
                    CelVal::Boolean(_) => Ty::Bool,
                    _ => Ty::Any,
                }
            }
            Expr::Unspecified => Ty::Any,
        }
    }

    /// The result type of a call, recording operand type mismatches.
    fn call_type(&mut self, name: &str, args: &[Ty]) -> Ty {
        let mismatch = |a: &Ty, b: &Ty| {
            format!(
                "`{}` between {} and {}",
                operator_text(name),
                a.name(),
                b.name()
            )
        };
        match (name, args) {
            ("_==_" | "_!=_" | "_<_" | "_<=_" | "_>_" | "_>=_", [a, b]) => {
                if !a.compatible(b) {
                    self.type_error(mismatch(a, b));
                }
                Ty::Bool
            }
            ("_+_" | "_-_" | "_*_" | "_/_" | "_%_", [a, b]) => {
                if !a.compatible(b) {
                    self.type_error(mismatch(a, b));
                    return Ty::Any;
                }
                if matches!(a, Ty::Any) {
                    b.clone()
                } else {
                    a.clone()
                }
            }
            ("_&&_" | "_||_", [a, b]) => {
                for t in [a, b] {
                    if t.scalar() && *t != Ty::Bool {
                        self.type_error(format!(
                            "`{}` needs booleans, got {}",
                            operator_text(name),
                            t.name()
                        ));
                    }
                }
                Ty::Bool
            }
            ("!_", [a]) => {
                if a.scalar() && *a != Ty::Bool {
                    self.type_error(format!("`!` needs a boolean, got {}", a.name()));
                }
                Ty::Bool
            }
            ("@in", [a, Ty::List(inner)]) => {
                if !a.compatible(inner) {
                    self.type_error(format!(
                        "`in` looks for a {} in a list of {}",
                        a.name(),
                        inner.name()
                    ));
                }
                Ty::Bool
            }
            ("_[_]", [Ty::List(inner), _]) => (**inner).clone(),
            ("_?_:_", [_, a, _]) => a.clone(),
            ("size", _) => Ty::Int,
            ("string", _) => Ty::Str,
            ("int", _) => Ty::Int,
            ("double", _) => Ty::Double,
            (
                "contains" | "startsWith" | "endsWith" | "matches" | "exists" | "all"
                | "exists_one" | "has",
                _,
            ) => Ty::Bool,
            _ => Ty::Any,
        }
    }

    fn type_error(&mut self, message: String) {
        self.errors.push(CheckError::Type { message });
    }

    fn check_entry(&mut self, e: &EntryExpr) {
        match e {
            EntryExpr::StructField(f) => {
                self.check(&f.value);
            }
            EntryExpr::MapEntry(m) => {
                self.check(&m.key);
                self.check(&m.value);
            }
        }
    }
}

fn operator_text(name: &str) -> &str {
    match name {
        "_==_" => "==",
        "_!=_" => "!=",
        "_<_" => "<",
        "_<=_" => "<=",
        "_>_" => ">",
        "_>=_" => ">=",
        "_+_" => "+",
        "_-_" => "-",
        "_*_" => "*",
        "_/_" => "/",
        "_%_" => "%",
        "_&&_" => "&&",
        "_||_" => "||",
        other => other,
    }
}

/// A condition compiled and checked against one fact kind.
#[derive(Debug)]
pub(crate) struct Condition {
    program: Program,
    /// Top-level fields of the fact the condition reads.
    pub(crate) reads: BTreeSet<String>,
}

/// Parses, schema-checks and test-runs `source` as a condition over facts of `kind`, whose
/// variable is `var` (`fact`, or `m` for a near-miss filter).
pub(crate) fn compile(
    source: &str,
    kind: &'static KindSchema,
    var: &str,
) -> Result<Condition, CheckError> {
    let program = Program::compile(source).map_err(|e| {
        let first = e.errors.first();
        CheckError::Syntax {
            message: first.map_or_else(|| e.to_string(), |p| p.msg.clone()),
            line: first.map_or(1, |p| usize::try_from(p.pos.0).unwrap_or(1).max(1)),
            column: first.map_or(1, |p| usize::try_from(p.pos.1).unwrap_or(1).max(1)),
        }
    })?;
    let mut checker = Checker {
        scope: vec![(var.to_owned(), Ty::Obj(kind))],
        errors: Vec::new(),
        reads: BTreeSet::new(),
        fact_kind: kind,
    };
    if var != "fact" {
        // `fact` is not in scope of a near-miss filter.
        checker.scope.push(("fact".to_owned(), Ty::Any));
    }
    checker.check(program.expression());
    if let Some(e) = checker.errors.into_iter().next() {
        return Err(e);
    }
    let default = schema::default_value(kind.kind).expect("every schema kind has a default");
    let value = to_cel(&default);
    let root = Context::default();
    let mut ctx = root.new_inner_scope();
    ctx.add_variable_from_value(var, value);
    match program.execute(&ctx) {
        Ok(Value::Bool(_)) => {}
        Ok(other) => {
            return Err(CheckError::Type {
                message: format!("the condition must be a boolean, but gives {other:?}"),
            });
        }
        Err(e) => {
            return Err(CheckError::Type {
                message: e.to_string(),
            });
        }
    }
    Ok(Condition {
        program,
        reads: checker.reads,
    })
}

/// Converts a fact's JSON to a CEL value (done once per fact, not per rule).
///
/// Written out rather than `cel::to_value`, which turns every non-negative JSON integer into a
/// CEL `uint`: `fact.ingress_rule_weight + 55` would then be `uint + int`, an error in CEL. Fact
/// integers are `i64` in Rust and `int` in the schema, so they become `Int` here.
pub(crate) fn to_cel(v: &serde_json::Value) -> Value {
    use std::collections::HashMap;
    use std::sync::Arc;
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
        serde_json::Value::String(s) => Value::String(Arc::new(s.clone())),
        serde_json::Value::Array(items) => {
            Value::List(Arc::new(items.iter().map(to_cel).collect()))
        }
        serde_json::Value::Object(obj) => {
            let map: HashMap<cel::objects::Key, Value> = obj
                .iter()
                .map(|(k, v)| (cel::objects::Key::String(Arc::new(k.clone())), to_cel(v)))
                .collect();
            Value::Map(cel::objects::Map { map: Arc::new(map) })
        }
    }
}

impl Condition {
    /// Runs the condition with `var` bound to `value`.
    pub(crate) fn eval(
        &self,
        root: &Context<'_>,
        var: &str,
        value: &Value,
    ) -> Result<bool, String> {
        let mut ctx = root.new_inner_scope();
        ctx.add_variable_from_value(var, value.clone());
        match self.program.execute(&ctx) {
            Ok(Value::Bool(b)) => Ok(b),
            Ok(other) => Err(format!("condition gave {other:?}, not a boolean")),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop() -> &'static KindSchema {
        schema::kind("hop").expect("hop")
    }

    #[test]
    fn known_fields_and_near_miss_variables_check() {
        let c = compile(
            r#"fact.hop == "alb->target" && fact.near_misses.exists(m, m.differs == "source" && !m.source_sg_attached_to_alb)"#,
            hop(),
            "fact",
        )
        .expect("valid");
        assert!(c.reads.contains("near_misses"));
    }

    #[test]
    fn unknown_fields_are_rejected_even_inside_macros() {
        let e = compile(
            "fact.near_misses.exists(m, m.sourc_sg == \"x\")",
            hop(),
            "fact",
        )
        .expect_err("typo");
        assert!(
            matches!(e, CheckError::UnknownField { ref field, kind: "near_miss", .. } if field == "sourc_sg")
        );
        let e = compile("fact.verdic == \"blocked\"", hop(), "fact").expect_err("typo");
        assert!(
            matches!(e, CheckError::UnknownField { ref field, kind: "hop", .. } if field == "verdic")
        );
    }

    #[test]
    fn syntax_and_type_errors_are_rejected() {
        assert!(matches!(
            compile("fact.hop ==", hop(), "fact"),
            Err(CheckError::Syntax { .. })
        ));
        assert!(matches!(
            compile("fact.port", hop(), "fact"),
            Err(CheckError::Type { .. })
        ));
        assert!(matches!(
            compile("facts.port == 1", hop(), "fact"),
            Err(CheckError::UnknownVariable { .. })
        ));
        assert!(matches!(
            compile("frobnicate(fact.port)", hop(), "fact"),
            Err(CheckError::UnknownFunction { .. })
        ));
    }
}
