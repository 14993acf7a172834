// Rust test program: deep and mutual recursion, i128/i64 arithmetic, string formatting.
fn ackermann(m: u64, n: u64) -> u64 {
    if m == 0 {
        n + 1
    } else if n == 0 {
        ackermann(m - 1, 1)
    } else {
        ackermann(m - 1, ackermann(m, n - 1))
    }
}

fn is_even(n: u32) -> bool {
    if n == 0 { true } else { is_odd(n - 1) }
}
fn is_odd(n: u32) -> bool {
    if n == 0 { false } else { is_even(n - 1) }
}

fn collatz_len(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

fn main() {
    for m in 0..3 {
        for n in 0..6 {
            print!("A({},{})={} ", m, n, ackermann(m, n));
        }
        println!();
    }
    println!("A(2,300)={}", ackermann(2, 300));
    println!("even(3001)={} odd(2999)={}", is_even(3001), is_odd(2999));
    let mut best = (0u64, 0u32);
    let mut acc: i128 = 1;
    for n in 1..300000u64 {
        let l = collatz_len(n);
        if l > best.1 {
            best = (n, l);
            println!("new longest: {} with {} steps", n, l);
        }
        acc = acc.wrapping_mul(6364136223846793005).wrapping_add(n as i128) % 1_000_000_000_000_000_007;
    }
    println!("best {:?} acc {}", best, acc);
}
