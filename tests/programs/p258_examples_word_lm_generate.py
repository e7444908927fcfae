# pytorch/examples word_language_model: main.py's `with open(args.save, 'wb') as f:
# torch.save(model, f)` of the whole LSTM model, then generate.py: torch.load(f,
# weights_only=False), model.eval(), torch.randint(ntokens, (1, 1)), the temperature,
# output.squeeze().div(temperature).exp(), torch.multinomial(word_weights, 1)[0] and
# input.fill_(word_idx), writing the words to a file.
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser(description='PyTorch Wikitext-2 Language Model')
parser.add_argument('--checkpoint', type=str, default='./model.pt', help='model checkpoint to use')
parser.add_argument('--outf', type=str, default='generated.txt', help='output file for generated text')
parser.add_argument('--words', type=int, default=30, help='number of words to generate')
parser.add_argument('--seed', type=int, default=1111, help='random seed')
parser.add_argument('--temperature', type=float, default=1.0, help='temperature - higher will increase diversity')
parser.add_argument('--log-interval', type=int, default=10, help='reporting interval')
args = parser.parse_args()

TEXT = ("the king rode to the castle . the queen rode to the town . a knight saw the king . "
        "the knight and the queen rode to a castle . the town saw a knight .").split()


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.2):
        super(RNNModel, self).__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        self.rnn_type = 'LSTM'
        self.nhid = nhid
        self.nlayers = nlayers

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                weight.new_zeros(self.nlayers, bsz, self.nhid))


idx2word = sorted(set(TEXT))
word2idx = {w: i for i, w in enumerate(idx2word)}
ntokens = len(idx2word)
data = torch.tensor([word2idx[w] for w in TEXT]).view(-1, 1)

# --- main.py: train a little and save the whole model
torch.manual_seed(args.seed)
model = RNNModel(ntokens, 16, 16, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=2.0)
for epoch in range(1, 31):
    model.train()
    hidden = model.init_hidden(1)
    output, hidden = model(data[:-1], hidden)
    loss = F.nll_loss(output, data[1:].view(-1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
    optimizer.step()
    if epoch % 10 == 0:
        print('| epoch {:3d} | loss {:5.2f} | ppl {:8.2f}'.format(epoch, loss.item(), math.exp(loss.item())))

with open(args.checkpoint, 'wb') as f:
    torch.save(model, f)

# --- generate.py
# Set the random seed manually for reproducibility.
torch.manual_seed(args.seed)
device = torch.device("cpu")

if args.temperature < 1e-3:
    parser.error("--temperature has to be greater or equal 1e-3.")

with open(args.checkpoint, 'rb') as f:
    model = torch.load(f, map_location=device, weights_only=False)
model.eval()
print(type(model).__name__, model.training, model.rnn.training)

is_transformer_model = hasattr(model, 'model_type') and model.model_type == 'Transformer'
if not is_transformer_model:
    hidden = model.init_hidden(1)
input = torch.randint(ntokens, (1, 1), dtype=torch.long).to(device)
print(input, hidden[0].shape)

with open(args.outf, 'w') as outf:
    with torch.no_grad():  # no tracking history
        for i in range(args.words):
            if is_transformer_model:
                output = model(input, False)
                word_weights = output[-1].squeeze().div(args.temperature).exp().cpu()
                word_idx = torch.multinomial(word_weights, 1)[0]
                word_tensor = torch.Tensor([[word_idx]]).long().to(device)
                input = torch.cat([input, word_tensor], 0)
            else:
                output, hidden = model(input, hidden)
                word_weights = output.squeeze().div(args.temperature).exp().cpu()
                word_idx = torch.multinomial(word_weights, 1)[0]
                input.fill_(word_idx)

            word = idx2word[word_idx]

            outf.write(word + ('\n' if i % 20 == 19 else ' '))

            if i % args.log_interval == 0:
                print('| Generated {}/{} words'.format(i, args.words))

with open(args.outf) as f:
    print(f.read())
print(word_idx, word_idx.dtype, word_idx.shape, input)
