// Rust test program: heap collections (Vec, BTreeMap, Box-linked tree), trait objects,
// closures, recursion, 64-bit and floating-point arithmetic, printing as it goes.
use std::collections::BTreeMap;

enum Tree {
    Leaf,
    Node(Box<Tree>, u64, Box<Tree>),
}

fn insert(tree: Tree, key: u64) -> Tree {
    match tree {
        Tree::Leaf => Tree::Node(Box::new(Tree::Leaf), key, Box::new(Tree::Leaf)),
        Tree::Node(left, k, right) => {
            if key < k {
                Tree::Node(Box::new(insert(*left, key)), k, right)
            } else {
                Tree::Node(left, k, Box::new(insert(*right, key)))
            }
        }
    }
}

fn depth_sum(tree: &Tree, depth: u64) -> u64 {
    match tree {
        Tree::Leaf => 0,
        Tree::Node(l, k, r) => k.wrapping_mul(depth) ^ depth_sum(l, depth + 1).wrapping_add(depth_sum(r, depth + 1)),
    }
}

trait Shape {
    fn area(&self) -> f64;
}
struct Circle(f64);
struct Rect(f64, f64);
impl Shape for Circle {
    fn area(&self) -> f64 {
        3.141592653589793 * self.0 * self.0
    }
}
impl Shape for Rect {
    fn area(&self) -> f64 {
        self.0 * self.1
    }
}

fn main() {
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..6 {
        let mut tree = Tree::Leaf;
        let mut counts: BTreeMap<u64, u32> = BTreeMap::new();
        let mut values = Vec::new();
        for _ in 0..4000 {
            let v = next() % 100000;
            tree = insert(tree, v);
            *counts.entry(v % 97).or_insert(0) += 1;
            values.push(v);
        }
        values.sort_unstable_by(|a, b| b.cmp(a));
        let shapes: Vec<Box<dyn Shape>> = values
            .iter()
            .take(500)
            .map(|&v| if v % 2 == 0 { Box::new(Circle(v as f64 / 1000.0)) as Box<dyn Shape> } else { Box::new(Rect(v as f64 / 700.0, 1.5)) })
            .collect();
        let area: f64 = shapes.iter().map(|s| s.area()).sum();
        let most = counts.iter().max_by_key(|(_, &c)| c).unwrap();
        println!("round {} depth_sum {} top {} area {:.6} bucket {}:{}", round, depth_sum(&tree, 1), values[0], area, most.0, most.1);
    }
}
