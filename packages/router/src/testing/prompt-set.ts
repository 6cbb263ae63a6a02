/** Prompts with an agreed difficulty, for complexity-scorer tests and the routing test. */
export const SIMPLE_PROMPTS: readonly string[] = [
  'Hi there!',
  'What is the capital of France?',
  'Translate "good morning" into Spanish.',
  'Give me a synonym for happy.',
  'Summarise this sentence in five words: The cat sat on the warm mat all afternoon.',
  'Is a tomato a fruit or a vegetable?',
  'Write a short, friendly greeting for a birthday card.',
  'What time zone is Tokyo in?',
  'Classify the sentiment of this review as positive or negative: "I loved it."',
  'Spell "necessary" backwards.',
  'Name three colours of the rainbow.',
  'Reply with OK if you can read this.',
];

export const HARD_PROMPTS: readonly string[] = [
  'Prove that there are infinitely many primes, then explain why the same argument fails for primes of the form n^2 + 1.',
  'Write a Python function that parses a CSV file with quoted fields, then refactor it to stream rows lazily, and explain the trade-offs:\n```python\ndef parse(path):\n    return open(path).read().split("\\n")\n```',
  'Design a multi-region architecture for a payments service. First list the failure modes, then compare active-active and active-passive designs, and finally justify your choice.',
  'Step by step: compute the integral of x^2 * e^x from 0 to 1, then verify the result with a derivative.',
  'Debug this TypeScript: `const f = async () => { await Promise.all(items.map(fn)); }; f();` explain why errors are lost and fix it.',
  'Analyze the time complexity of Dijkstra with a binary heap vs a Fibonacci heap, derive both bounds, and explain when each is better in practice.',
  'Given the matrix [[2,1],[1,3]], find its eigenvalues and eigenvectors, then explain the geometric meaning.',
  'Write a SQL query: SELECT the top 3 customers by revenue per region FROM orders JOIN customers, then explain how to index it.',
  'Compare and contrast Raft and Paxos. Explain the implications for leader election, then design a test plan that would catch a split-brain bug.',
  'Implement a lock-free queue in Rust (struct Queue, impl push/pop with fn signatures), then explain the memory ordering you chose and why.',
  'First estimate the probability that two of 30 people share a birthday, then derive the general formula, and finally optimise the computation for n = 10^6.',
  'Evaluate the strategy: our startup should rewrite the monolith in microservices. Analyze the risks, plan a migration in phases, and justify the order.',
];
