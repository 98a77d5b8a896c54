// Docker's name lists as the book prints them (pkg/namesgenerator, Docker 1.7).
export const LEFT: readonly string[] = [
  'admiring', 'adoring', 'agitated', 'angry', 'backstabbing', 'berserk', 'boring', 'clever', 'cocky',
  'compassionate', 'condescending', 'cranky', 'desperate', 'determined', 'distracted', 'dreamy', 'drunk',
  'ecstatic', 'elated', 'elegant', 'evil', 'fervent', 'focused', 'furious', 'gloomy', 'goofy', 'grave',
  'happy', 'high', 'hopeful', 'hungry', 'insane', 'jolly', 'jovial', 'kickass', 'lonely', 'loving', 'mad',
  'modest', 'naughty', 'nostalgic', 'pensive', 'prickly', 'reverent', 'romantic', 'sad', 'serene', 'sharp',
  'sick', 'silly', 'sleepy', 'stoic', 'stupefied', 'suspicious', 'tender', 'thirsty', 'trusting',
];

export const RIGHT: readonly string[] = [
  'albattani', 'almeida', 'archimedes', 'ardinghelli', 'aryabhata', 'babbage', 'banach', 'bardeen',
  'brattain', 'shockley', 'bartik', 'bell', 'bhabha', 'bhaskara', 'blackwell', 'bohr', 'bose',
  'brahmagupta', 'brown', 'carson', 'chandrasekhar', 'colden', 'cori', 'cray', 'curie', 'darwin',
  'davinci', 'einstein', 'elion', 'engelbart', 'euclid', 'fermat', 'fermi', 'feynman', 'franklin',
  'galileo', 'goldstine', 'goodall', 'hawking', 'heisenberg', 'hodgkin', 'hoover', 'hopper', 'hypatia',
  'jang', 'jones', 'kilby', 'noyce', 'kalam', 'khorana', 'kirch', 'kowalevski', 'lalande', 'leakey',
  'lovelace', 'lumiere', 'mahavira', 'mayer', 'mccarthy', 'mcclintock', 'mclean', 'meitner', 'mestorf',
  'morse', 'newton', 'nobel', 'panini', 'payne', 'pare', 'pasteur', 'perlman', 'pike', 'poincare',
  'poitras', 'ptolemy', 'raman', 'ramanujan', 'ritchie', 'thompson', 'rosalind', 'saha', 'sammet',
  'sinoussi', 'stallman', 'swartz', 'tesla', 'torvalds', 'turing', 'varahamihira', 'visvesvaraya',
  'wilson', 'wozniak', 'wright', 'yalow', 'yonath',
];
